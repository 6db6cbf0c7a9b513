"""Every model is either tenant data (under row-level security on PostgreSQL) or listed as
not tenant data, with the reason: a new table cannot slip between the two."""

from tests.row_level_security.tables import NOT_TENANT_DATA, model_tables, tenant_tables


def test_every_table_is_tenant_data_or_says_why_not():
    # given
    tables = model_tables()

    # when
    tenant = set(tenant_tables())

    # then
    unclassified = tables - tenant - set(NOT_TENANT_DATA)
    assert not unclassified, (
        f"decide for {sorted(unclassified)}: tenant data (an `organization` relation, or a "
        "relation to tenant data) or NOT_TENANT_DATA with the reason"
    )
    assert not tenant & set(NOT_TENANT_DATA), "a table cannot be both"
    assert not set(NOT_TENANT_DATA) - tables, "NOT_TENANT_DATA names a table no model has"
