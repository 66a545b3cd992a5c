{#-
    The order in which a field team visits the suspects of an agency: suspects ordered by the Morton (Z-order)
    key of their GPS point over the agency's bounding box (var collection_route_bits), which keeps neighbours
    together on the list, as the disconnection lists do. Any subset of the list (one transformer, one rule, a
    minimum score) read in route_order is still a route.
-#}
{%- set bits = var('collection_route_bits') -%}

with suspects as (
    select
        contract_id,
        agency_id,
        transformer_id,
        latitude,
        longitude
    from {{ ref('fct_suspect_contracts') }}
    where {{ is_true('is_suspect') }} and latitude is not null and longitude is not null
),

boxed as (
    select
        suspects.*,
        min(latitude) over (partition by agency_id) as box_south,
        max(latitude) over (partition by agency_id) as box_north,
        min(longitude) over (partition by agency_id) as box_west,
        max(longitude) over (partition by agency_id) as box_east
    from suspects
),

gridded as (
    select
        boxed.*,
        case
            when box_east > box_west
                then cast(floor((longitude - box_west) / (box_east - box_west) * {{ 2 ** bits - 1 }}) as {{ dbt.type_bigint() }})
            else 0
        end as grid_x,
        case
            when box_north > box_south
                then cast(floor((latitude - box_south) / (box_north - box_south) * {{ 2 ** bits - 1 }}) as {{ dbt.type_bigint() }})
            else 0
        end as grid_y
    from boxed
),

keyed as (
    select
        gridded.*,
        {{ morton_key('grid_x', 'grid_y', bits) }} as route_key
    from gridded
)

select
    contract_id,
    agency_id,
    transformer_id,
    cast(route_key as {{ dbt.type_bigint() }}) as route_key,
    cast(row_number() over (partition by agency_id order by route_key, contract_id) as integer) as route_order
from keyed
