"""Account life: a coordinator marks a visitor as having left the district, moved to another one (that
district's coordinator accepts) or deactivates them; every role, district and active change is audited."""
