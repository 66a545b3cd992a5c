"""The checks written for the product (not dbt's tests), run on their own every hour."""
