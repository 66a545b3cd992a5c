{% test non_negative(model, column_name, unless=none) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} < 0
    {% if unless %}and not ({{ is_true(unless) }}){% endif %}
{% endtest %}
