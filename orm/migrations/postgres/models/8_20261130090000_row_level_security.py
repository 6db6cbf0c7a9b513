"""Row-level security (issue 15): written by hand; the models did not change.

- The application role `voiceagents_app`: a NOLOGIN group role without BYPASSRLS that owns
  nothing; deployments log in as a user IN ROLE voiceagents_app (docs/operations.md). It may
  read and write rows of every table (aerich's: read only), never change the schema.
- `app_platform()` and `app_organization_ids()`: the current scope (`app.platform` = 'on';
  `app.organization_ids`, a uuid[] literal), set per transaction or session by the client.
- Every tenant table: ENABLE and FORCE ROW LEVEL SECURITY with one policy, `tenant_rows`,
  admitting a row when `(SELECT app_platform()) OR organization_id = ANY ((SELECT
  app_organization_ids())::uuid[])` (`organizations` on its own id; `oauth_states`, which has
  none, through its agent tool). The sub-selects make each an InitPlan, read once per
  statement rather than parsed again for every row. tests/row_level_security derives the
  list of tables from the models.
- The support role `voiceagents_support`: NOLOGIN, read-only on the tenant tables that hold
  no secret, under the same policies plus a restrictive one that ignores the platform flag:
  a support login sees only the organizations its session names (docs/operations.md).
- The cross-tenant steps the design needs, as SECURITY DEFINER functions owned by the
  migrating role, search_path pinned, `app.platform` on only while they run, each returning
  the least that step needs (an organization id, mostly). EXECUTE: voiceagents_app only.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

APP_ROLE = "voiceagents_app"

# Tables whose rows carry their organization in `organization_id`.
TENANT_TABLES = (
    "agent_custom_functions",
    "agent_tools",
    "api_keys",
    "call_analyses",
    "call_events",
    "calls",
    "credit_ledger",
    "custom_functions",
    "invitations",
    "memberships",
    "phone_numbers",
    "subscriptions",
    "token_revocations",
    "voice_agents",
    "webhook_deliveries",
    "webhook_endpoints",
)

_ROLE = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        BEGIN
            CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created meanwhile by a migration of another database on this server
        END;
    END IF;
    IF EXISTS (
        SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}' AND (rolsuper OR rolbypassrls)
    ) THEN
        RAISE EXCEPTION 'role {APP_ROLE} must not be a superuser nor bypass row-level security';
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO {APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
REVOKE INSERT, UPDATE, DELETE ON TABLE "aerich" FROM {APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE};
"""

SUPPORT_ROLE = "voiceagents_support"
# What support may read: tenant tables without secrets or digests of secrets.
SUPPORT_TABLES = (
    "call_analyses",
    "call_events",
    "calls",
    "credit_ledger",
    "memberships",
    "organizations",
    "phone_numbers",
    "subscriptions",
    "voice_agents",
    "webhook_deliveries",
)

_SUPPORT = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SUPPORT_ROLE}') THEN
        BEGIN
            CREATE ROLE {SUPPORT_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO {SUPPORT_ROLE};
GRANT SELECT ON {", ".join(f'"{table}"' for table in SUPPORT_TABLES)} TO {SUPPORT_ROLE};
""" + "".join(
    f"""
CREATE POLICY support_names_organizations ON "{table}" AS RESTRICTIVE FOR SELECT
    TO {SUPPORT_ROLE} USING (NOT (SELECT app_platform()));"""
    for table in SUPPORT_TABLES
)

_SCOPE_FUNCTIONS = """
CREATE OR REPLACE FUNCTION app_platform() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('app.platform', true) = 'on', false) $$;
COMMENT ON FUNCTION app_platform() IS
    'Whether the current scope reaches every organization (app.platform).';
CREATE OR REPLACE FUNCTION app_organization_ids() RETURNS uuid[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(nullif(current_setting('app.organization_ids', true), ''), '{}')::uuid[] $$;
COMMENT ON FUNCTION app_organization_ids() IS
    'The organizations the current scope reaches (app.organization_ids).';
"""


def _admits(column: str) -> str:
    return f"(SELECT app_platform()) OR {column} = ANY ((SELECT app_organization_ids())::uuid[])"


def _policy(table: str, admits: str) -> str:
    return f"""
ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON "{table}" USING ({admits}) WITH CHECK ({admits});"""


_POLICIES = (
    "".join(_policy(table, _admits("organization_id")) for table in TENANT_TABLES)
    + _policy("organizations", _admits("id"))
    # A started OAuth flow belongs to the agent tool it connects (its policy applies inside).
    + _policy(
        "oauth_states",
        'EXISTS (SELECT 1 FROM "agent_tools" t WHERE t.id = "oauth_states".agent_tool_id)',
    )
)

# name(arguments) -> result: the body, run with every row visible.
_DEFINERS = {
    # Building a person's scope: the organizations they belong to.
    "app_user_organizations(person uuid) RETURNS SETOF uuid": """
        SELECT organization_id FROM memberships WHERE user_id = person""",
    # Counting and crediting what an unverified person created (welcome credits).
    "app_organizations_created_by(person uuid) RETURNS SETOF uuid": """
        SELECT id FROM organizations WHERE created_by_id = person""",
    # An incoming call: the organization holding the dialled number.
    "app_number_holder(number text) RETURNS uuid": """
        SELECT organization_id FROM phone_numbers WHERE e164 = number AND status = 'active'""",
    # Buying or importing a number another organization released: its old row makes way.
    "app_clear_released_number(number text) RETURNS void": """
        DELETE FROM phone_numbers WHERE e164 = number AND status = 'released'""",
    # Webhooks and the worker naming a call (LiveKit rooms, job metadata, Twilio's CallSid).
    "app_call_organization(call uuid) RETURNS uuid": """
        SELECT organization_id FROM calls WHERE id = call""",
    "app_twilio_call_organization(call_sid text) RETURNS uuid": """
        SELECT organization_id FROM calls WHERE twilio_call_sid = call_sid""",
    # Stripe events naming a customer or a subscription.
    "app_stripe_customer_organization(customer text) RETURNS uuid": """
        SELECT id FROM organizations WHERE stripe_customer_id = customer""",
    "app_stripe_subscription_organization(subscription text) RETURNS uuid": """
        SELECT organization_id FROM subscriptions WHERE stripe_subscription_id = subscription""",
    # Presented secrets: an API key by its public prefix, an invitation and an OAuth state by
    # their digests (the secret itself is checked against the row afterwards, in scope).
    "app_api_key_organization(key_prefix text) RETURNS uuid": """
        SELECT organization_id FROM api_keys WHERE prefix = key_prefix""",
    "app_invitation_organization(digest text) RETURNS uuid": """
        SELECT organization_id FROM invitations WHERE token_hash = digest""",
    "app_oauth_state_organization(digest text) RETURNS uuid": """
        SELECT t.organization_id FROM oauth_states s JOIN agent_tools t ON t.id = s.agent_tool_id
        WHERE s.nonce_hash = digest""",
}


def _definer(signature: str, body: str) -> str:
    name = signature.split("(", 1)[0]
    arguments = signature.split("(", 1)[1].split(")", 1)[0]
    types = ", ".join(argument.split()[1] for argument in arguments.split(","))
    volatility = "VOLATILE" if "DELETE" in body else "STABLE"
    return f"""
CREATE OR REPLACE FUNCTION {signature}
    LANGUAGE sql {volatility} SECURITY DEFINER
    SET search_path = public, pg_temp
    SET app.platform = 'on'
    AS $${body}
    $$;
REVOKE ALL ON FUNCTION {name}({types}) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {name}({types}) TO {APP_ROLE};"""


_FUNCTIONS = "".join(_definer(signature, body) for signature, body in _DEFINERS.items())


async def upgrade(db: BaseDBAsyncClient) -> str:
    return _ROLE + _SCOPE_FUNCTIONS + _POLICIES + _SUPPORT + _FUNCTIONS


async def downgrade(db: BaseDBAsyncClient) -> str:
    support = [
        f'DROP POLICY IF EXISTS support_names_organizations ON "{table}";'
        for table in SUPPORT_TABLES
    ]
    dropped = [
        f'DROP POLICY IF EXISTS tenant_rows ON "{table}";'
        f' ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY;'
        f' ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY;'
        for table in (*TENANT_TABLES, "organizations", "oauth_states")
    ]
    functions = [
        f"DROP FUNCTION IF EXISTS {signature.split(' RETURNS', 1)[0]};" for signature in _DEFINERS
    ]
    return "\n".join(
        [
            *support,
            *dropped,
            *functions,
            "DROP FUNCTION IF EXISTS app_platform();",
            "DROP FUNCTION IF EXISTS app_organization_ids();",
        ]
    )


MODELS_STATE = (
    "eJztXWtz27jV/isYf2kyo2Rt+RJ3+847Y3udrdskztjObqebHS5FwRJqCtASpB233f9eAC"
    "QlXkCKpEiapM5Mm01IHEh6Dgmc85wL/rO3YFNs87dnM0zdC4+7bPHeo5ZLGN37Hv1nj5oL"
    "LP6SN2yE9szlcj1IXnDNia3kTClgWErCuA9E1BBzwl3HtFwx6t60ORaXpphbDlkGH753hn"
    "w5FMohTOW8UyT+aor/ybnfyrmmzBKTETorJ+ZR8ruHDZfNsDvHjhD+5Rf/G8u7ofjer7+K"
    "fxE6xd8wl2PkP5cPxj3B9jQGEpkqOXndcJ+X6tqXL1c/vFcj5fecGBazvQVdj14+u3NGV8"
    "M9j0zfShl5T3wT7JgunkYwop5tB+CGl/yfIS64jodXX3W6vjDF96ZnS6T3/m8Fivok+cfR"
    "/wdfLTLMMD5d3xm3l3eGsZdSjPwKCdCDS5bQrVAqoa4E6j9/+POuAVFX9+QHXPz17ObV4c"
    "lrBQHj7sxRNxVce38oQdM1fVEF+hply8ESE8N002j/IO64ZIH1iMclE8hPA9G34V+qaCC8"
    "sFbB+tkOwQ3hawDwPfEDp9fUfg50n6OAu6uPl7d3Zx8/y49bcP67rfA7u7uUd8bq6nPi6i"
    "tfX0y8tv7bvZoE/Xx191ck/4n+ef3pMqnV1bi7f+7J72R6LjMoezLMaeQxDa+GqImRa617"
    "y2lFrcclQetd0XqIUUTtwbdfa93fPsqtq1GZOlfXF9byNovpGtBw+S+JaUIMYE3AypyZSc"
    "m/zQrQakQBXgGvtLLuH7QWQBSyNNTvmYPJjP4dPyvAr8T3MamFNcAGRu11Yrp+Qry+ut5R"
    "HfNpZabqHjTxF4EAdhUaF2e3F2c/XO6lF+AaMP6JEQufhZMNFOHozrMZ2vuIA7UlummPbK"
    "AIJ/YhPchy5ZiY1sOT6UyN2BIi77AxS1xZjU3fWowXySsmFWqeBr9Efu+oa3zHmL2X5Ter"
    "m6PN3rIrxhV2keVgnYM7Qk/EnSPiciRQvSczz1FvvhgwRRybcjjHwiNyuc6FrmvafBdbfg"
    "q41+Be92SV6qmjBe71Lmq9iHvtL+Fpjf/t9vpTxju+kkhqmlgu+i+yCW/MwousrhOP2C6h"
    "/K382JdYYCVCMSV/+unsRq26H8/+kVDop4sP1+dJ7ckJzhNeJMeUE5c8YiNLMXf4m6tXjE"
    "42oSLx0wqoJlgtuvL25b1tl/+4y9fB6mX7cP3px3B4UjFJHUjjJdgZDY4162H226EV7saL"
    "Ij9vMC+KR7kw+y257cRiSkX1lCUPqqpdVYQbgRuRVtC5MP+xSTPs95hgQjOTwJVqQiWhVR"
    "8Ff2Xp1435+fX1hxjm51fJRerLx/PLm1cHSgFiEPG93atPd0kOUuz0c8O0LObpKJuLuelk"
    "MJBJwSHsG8JR/2bYmM7cufjn4Xg/RwnhYy5GJR/z4NbYv6cDXHwu9ZeS8razfoYabOiOKa"
    "O/JnPaU/J1hr8tiZi0ss7j8qDxLmucYiysOQcH72nJfUwj3eJmtroS1bGeTOzYdrZCTGBn"
    "ch1Nnr2j6WSHt6mN94tsamJU5qam7sVhh4g7hIb7BK8MIZSENSICcEKkHSLt/UO4XKTdDQ"
    "ysLZH9bJvuPXMWdw3aax3ANrI8lo2vJ70kgaiLNczceSD9/u832F6tBhlrxpmY6VZONCDM"
    "/2g0E2FJxEO9p0tD8O+McnMQlsR4wM/FEhCygdAE/iHOD3H+Xry1PY34Qpx/F7VeJM6v/p"
    "vSdzZ/Eo6vxJl0Tq8x0uSgEGlykEOaHKRJk6WD78m3MgivJerBePOe1R7CJ0UATr4NEXxP"
    "kvAKc8SYm3xeBuCozAAf45OjAiCfHGWCLG/FQbZN7hoer7Q3JGUhntGdzSBtAzj4kT1U0n"
    "NcErTcZS2HVvrkuSQ9mhLcwrfqj36B0e8KvA6zcUlYIyIAJzD6HWH05VNZA8Q3wTQDhTby"
    "7sYgvRE74M3Vxd1exq5WA7JfOO5hEkBRYFP7eAxe8S3Qpy8fPrxYuZxk9THnWY1mIrdHuX"
    "S1ijP4IwsWzV1TjLh4UPD0DaFoih+JhQWEcywEFsR+RuweOcwVLzudIeGni7V1jlxh+FKO"
    "Jngu1I6Ipu9MPdN+pV/pmWWJHxTes0zHeVbzBD8TkekIcYaUNS4ni957Jb/CG+a5iDnI/E"
    "odLP2y+Oe9RphOuSriM2MfZQop8cZkVe4BgQ8Efi/2np5SuUDg76LWixD4QNnsAmUT6qpK"
    "wmtScnjprkdFAjdH2XGbo1TYxrKJTCMSGhJK1KSpZOOdlhwe3vWHGIQl6hgZeW7ZWMelho"
    "fzYaGI5GFORPIwHZFUoJWzwyMiQKLlk2heQBy0wz90FNKNBETkgaqeSBg4robvoaZBL5NK"
    "eOPPdSenGhDujSYTXpi2tqORuj7KY2YsMQKyCIGEABKiV+4okBC7qPUiJMSUODijY2G29R"
    "4TGmAi1mkB2/0003I/Tdrt9w5bGNRbTHQGZjbKCbEB4nw4LtTAIad/QxJq+aCXBjomBDAX"
    "gFnWAHmlyJW1RFMADyk5FotfVYUyTMoNj1ipn8Byn4hNmCE9G4PrHIychSMtWgviHUr8bi"
    "AnmTziB+IaDmOLMmAn5YaG9MG4iNkhRmWvI+OU6cGpueRzVq7hXUSmG83TBtUQ0qT8CTuV"
    "HK2EKAT+uuNYpf1pfy8ur+SoHGi4yxqeBn3SDS5bE0019vAVzejsqhNNKJsUavbQMfWKry"
    "v+82Z8cPTu6PTw5OhUDFHfc3XlXc4TkG4YpYqQ8KOMy3L8ewmA04KV4K20he0nwd3vDqAv"
    "2AqqY4/qwOpGBoNuZ+scuonwgBoX9RTgzL5FRdLxI/ai3Ky2DIbLAO7l47DaRMXtATydYc"
    "cQv9Ah2zYhuhCeFHE/qBkvxYTPw3lEy2UPRH1T037mJAfYa4rvmPij2LN4FplvQMiWTLVY"
    "oZCRchFFKT/1wvAVhAsWxdzNMZI77Bspi0LlypoVRjGSF79HJpK+iPgM9C82QR51iY2Ii8"
    "SwqRg0knUoVFWViF1aIJwukWniQ2TBzM8OcV15mapaGPFTKTd9Ysidm65f7iLvyI/4C7Js"
    "UzjEUzR5Fp/2xJwH7KClw2QlzFf6yhIb13fis/nb5fPrEXqaE2uOTP7gz6DQ9k+7csVA/6"
    "L/VdAcOxj58uFvew21NF0xFkcI0lh2J6EB0lh2UetF0lh6EZDeW4o9Syoopd/ojW5GpE2x"
    "Fy+WOv8kk4KLigD5Jq9Q/M01AlgqLFAa8XZWqTaDov1dlNJ7UWCTGsrgLW2EJIUhGNRlXX"
    "NvsTAdTQeLnOP91iJDSNTJ02Yjp/p5qs+BgR9N28vghHOyHLTSW+U79EcfzZx0KX6/5Xoy"
    "P0H6ZKWUkRYFTVTXhOIzyhjDK4H2sl/30lZwbeZvE400XUytZ2NRxgCOC0F4P20QY8dhpV"
    "K1VwJD2DBbKBm22GIpw1GVWLCELNifXbY/O5OI0DXWq548DxV9KdlzdS3SLnnfSTA7m9bR"
    "0ee1vryOMr0A4w98Whlh+LegKsKC8j4+45t7Ma7f7wLAb12w7+d1ZISQV0kfG+LH6ySTeg"
    "v4f1k9LzLb8lcIhEIgtBeLbU9DYhAI3UWtFwqElsqSbz01vkfchEIjBWVOMWgwfoAF5PV3"
    "6WOW5TnViuASogNcnvq7HGlqpEpGAmqh/6sR0kMvPO0OhdHd9wsqf7pJEenZiNLUUFU+oh"
    "uQbs9IZD2/7bNu3XxoX4Z0q5EnSpW06PgiXd1LDm+khht+5U0h5mjvbCkTGt8w4WG9RbI+"
    "YGLa8ulB+HdPSPhnW3gLWSPwm7lgHnV/Q+wRO8ikKIrwnzgKKn3SZQcNfQZk9XdgIxgBmb"
    "VDtAaQWbuo9SJklr9upzV+TmbZWecrmSGxWn8ejw8P3433D09Oj4/evTs+3V/RW+lbeTzX"
    "+dWPkuqKaTTNfT2IX1uG+wrHD5D7qr+UospJIFs19Os2wI3kPTn4Hjs4cFiKwxwRGtwR7u"
    "NCOI9zcB6ncQ6MbsO8d3U9V/MW6pQorNeV12tgWTMVsjMsazcZlW3T7uDA86HT111bwSHF"
    "sX9sa3IBbi9U0M21oXKkYN2yCg7oHuAB3Rced9nifWCB7emCA/ERo9zIgBprhAZdwaZEZy"
    "n+nT1R9Ne7u89oZRq+epIdfphk4NHSNt175iy4avSD/A9dDQ2a8cRDA018gjbpNbmsKzAh"
    "+xUCBv3Yh3tKHUPAYBe1XiRgoP6b0nc24xeOHyCtWn8NdPRrpTDO7nKREBsE1G23uliajv"
    "ibix1N+Xk2yxeXAq6vdq5PgDtnpQJla4lBvAeNHpvnObYhe13JNgplME7KDRDp8X7RYE5u"
    "NCcVzpkLy6DkIhMRgRWm9hWGY9MWtijHwhdxjUz15PSYyppgCA00Wu84FUXRkFdLvSoZ4t"
    "14beTnDea1kZ4Z89zsg3ne28zMeGM0sgkN3UvhpnRzsP821cIyvFY7+D9cfzn/cIk+31xe"
    "XN1eBYpYOXTqprwkLhCfwLy5PPuQwJpwQ7blftTs0eeM2dikGXxWVC6B8EQINgVwSHJFAV"
    "4RX3UDfH59/SH2dJ9fJdeZLx/PL29eHbyOA52O8UPADgJ2XY9+1FAekTiDZsszPtTRM+mY"
    "xkDgL3fMR8lY0eXCJPa1507Ytz1NoCh6e5QXJcJyoMHWI2ttPAKxFoi19OId7inrDrGWXd"
    "R6kViLuCMGi/lKHbsQl2rt6IX2stnHhbLZxznZ7OMULVeFBR04A1p/eIt7k39hS7OE5Zwh"
    "shYZIMSNFGa48gyLCZuWapQfExoE0m0zl3N3YZeGPSYEsFeAXex2sosy42XJsbhgi+zY6k"
    "oU/bJ+2ovwY0GkQx7noKPlN4ZI1oIQGqkcGnHwfakNNCbVEO4vZwyeFtlAT7P3z9PU9hkA"
    "hr8tibChK3hc2gmgs3t3/Ky0ew1n28HZdj6WcLYdnG3XlVXJNrnYRvTnt2TbWnEpMLQqpI"
    "I67JHI/JEF5tycYW0oOHtryBAfgiYS20Qh9uIgh704SLMXHNMqi1tEDEytLi9qcGDnsHWd"
    "Svh4mTLMHxmb2fhqKpYF4mp7NCZGjPIC7DM1VizkajDBReswkf8hyLQs2TILvboWpvrVD+"
    "iCUYotFwXs9mtkIo9jB3EyoxwRip6IO9dUXW4/H8T323hTIb4PkV6I7++01ovE97sQD+1S"
    "+7Tj4yIVN8fH2QU38l7i/FOZG1cG4ZXAIMJxLaROKMJBWhoGoRUWMI04WPXdWbQ0e5WwLE"
    "tmx0dEICs+Pyve47ouj021AOoopBuz4CMPVJcOB/Dds1uhqSt665rqO2U4ntFBowK+Z7hC"
    "ysBTcf9TjHaE8kO/UU7yRriDr5iDbEIfXn/vN/EXKrHxGwEqokw2+CeUC183uDejYoLf1O"
    "f+pvNJG/kM8FM7sEyNwE/dIY8F/NRd1HoRP1Ut2Mbc5PMyjlRcanDeav3p0ZbY/I1H7BAx"
    "o8YGzEY6JThA1/VgXKT3iRiVHWwcp/qfMDK1DPWcloE7LjVArOt/tCcOe5Im+4SoTKXSa0"
    "mWPIBfAHx5upiDLdfwnFJMWFJugGCP94+KLCtyWE6Xn6PUwlI9e7T2tNGuKaC/dpGWCqtk"
    "C/M6DWGgOpvLwCP0wajAdybl4GSEXM5zBVd7xGc3Yd3IeyYfrC6Rn1f0kbhmVtfzyN1RHt"
    "1JVuOKkZzZEAOF2IG3fgQU4g6RSUAh7qLWi1CIkIbReAcL9oBpaWIlLgUk7UYyBTz7KlZC"
    "x5er9C5lWhZeVtumEqLg4XdZzw5+FCtgFTXHJUHLXdayciqrnHGZEgQmB1rmtgivw2x9+W"
    "k2rBERgBM6ENfPQVY6MlQ+lTVAfBNMM1BoI+9uDNIbsQPeXF3c7WXsasCbbwA2tY936szQ"
    "j3gxwQ6fk+WehjmP3B3lMeeL1bgGmPNfVonpsUUTDuIERr0fS3BPuVVg1HdR60UYdfC8wP"
    "PqD5xQNAhFgy/tBGzMm8laXoEbAG7gxaHdzA28jPN6fea588xi18jdUZ7zyoSpM69Y3Ko+"
    "A93b7KnOctYtZ4Xssw5smSPwlXfIawJfeRe1XsRXhgJWKGB96aS/RgpYO1VX2bHYEGQCvr"
    "RP08OtQ2MxQI3foPWrzkAWfhqzS/KTKUFgKYH0bZH0XT9/NZBn6hTvuwZPPesAg5Z6YTdT"
    "k0Cs10KsvxAzSfGd2F7vZInLno6bjN4f5bKTFBtypzZUuUxBgvJ2RRiOkLL4xL+RPwGSxU"
    "14Kv6FTLTEDmf0e6QqnpDvBVmKQR+hpcn5E3OmSKwK2E3TlQ19BpCXHVj6R0Be7hCNBeTl"
    "Lmq9CHm59Bz98bY5R1CtRQbIpB2OC1XP5hTPQu0sMGbdesL7u14BY7aD+gVaZ4NSIZdvNy"
    "mHaJqfjnJIpAHmUA6RkdAJC9x5cOd75diBO7+LWi+Ui2QuSvny4fgBOvLjQgdIj3MOkB5r"
    "DpC2vVkZfMPx4L9v9N+jXyuFcPaJ9Amx9h7kvbQV0JAL18Qx9E94wolbaq2IiPQV5QTVV2"
    "iFOMxZIQ7TK8TE44RizsU3dk3i291xhP92e/0pI2FOI5vcf4nlov8im3C3McjXNu/EI7ZL"
    "KH8rP/YlzF6JVf6zn3zME3uqnCD57BNuCFeHPGqe/nPGbGzSDAckKpfQy6TB7IZwlY9Cv1"
    "r560b8/Pr6Qwzx86vkcvLl4/nlzasDBb8YRHzn+OrTXTJjV57x4BoT0za1h6Cck9kVzVjW"
    "07IJwKX33hDe+0mw97dYcWbyU9/8eTw+PHw33j88OT0+evfu+HT/VIxVXzF9612eeq5+lE"
    "DHFJJGXn6pJTYsj7tskcGn5RgtWulasnY7ZMEcFFr9D3JW/wPN6u8/r4ZpY8f1K87KIJ8h"
    "3uJ2yx7Sq3xwrRbQT4pgnnSgIpCfpMoCAo6idPe9lCB038uljtd4tUcgdxPXjfxx6tEq3R"
    "AqmYjpr8VGaJhprMrzYJ73f7/BtpnhDkXzMS/UlO+DGXvo7mdpIyMBuw7MBpbDGkdqSYwH"
    "/LwtTEsiVoGhYmSZ9rbP0YWYYjgrXwodw6Sm/cxxDSidqZkIH/LDZOBHLGW2ButSzjPQ58"
    "rG05kubF0KI+VPflAzXVLXGe4SVaulsBtGQuJYqOpwxc+hGiJUiT6g1aGKNx4dIlTLuazs"
    "oJ76nduB9VlO9UnNNFS0/HxXee6BVcebqOpublazDRU15d5sCdVPjFhYuTdDRekJT+aMPU"
    "gfnMjypG2t05/9+X7wpxusKRHChul0ycjWz1mA2mUw25BQK5X1F6HpvUlOzDvEVlYSMvHH"
    "ZoRvE/MNxBcomSYZ3Sw1WZKJvTQ7STK1f0OSJCRJQpJkX9LlIElyF7VeJEkSH5wclYnKhu"
    "MHl8RX6KTQnINC0+eELh32SKbl+rNFZVqMdLtPxCYsvUtFrncz4h3iZfByaR1JuaEldNSf"
    "kvooPWPDMpfqx6cN9LxksZQsJIxtTBjjC14R7YRki1ivrkTBLusevAzarul6Gp8+LzEslG"
    "hxnV6nXMaXkMj1bq7T9w7BdGo/G2WLMlKCw0i3rn99drBYEarVgydEoSa8O/Z62k2D04ja"
    "TPSDw0mq5PwVPpykptrxRAyoDvq4VCCom8vd9uSxbWpr69X1US5dLEYATQw0MdDEvSIMgS"
    "beRa0XoYkfsKbSIdtrC4YPjiSu322DJgXNFqEtGHXn9rOxdBQFqc8Qyqy8zJBur/yySfD9"
    "aszxwdG7o9PDk6NVEebqSl7tpabC1XMcTK1S60RUpkVix+PhV9FcrKWavkgtfXYlvaaub0"
    "pcbiyxI/9PmMa+3VA9nBSGRzizSNuHakGopytYLYTzWhhw1uA8IbYtD0EiVIC20HrsOXXB"
    "OuEWF4+1buNQR67XsYQUOcMq+wSr1PlVQR27v5FVKoGPig4tXNqI6QGtNZqL3aUo2yLlw9"
    "EU0y3zdwecXdpUx87PAtN75ixU3bCeVVzfH21gF9XIdSlzkUOM5WBk2SbniFBkMQd/p+S/"
    "I4ulrTYSv9ZihEyOxDAX8Wdq4Sl69ZvKX/DLC9Q0XN367bXuVOOmPgboUKBDgRgDOhS03g"
    "E69GVZuw4Zzg20viRc7O/lE4WSckCQFvNS+tZq9IXShJroOxq0J6ioAb30EM6TblsPYqWf"
    "+4iVWG9iQoN4/JvOAVWIic+8J5q20dmNYBNi0AM2//mv0APWB9fg1hwvzDKqSQmCcmpXDs"
    "fCPXSNyjrKkgdV1a4qdeDxqtlQBV1lTtANZcnPG4yygJ1vp7JG4vVoErtCIVNSFNDeXMek"
    "uOQKbFRMECpAusM9+ZRjpXgX9Ht9qVjXDb4XCp/7B95rYl2x+6O8WJfjjzT8o+YLxbogpR"
    "5iSBBN6MiKDjGkXdR6kRgSHIXeSjwJjkIfrFEcK39nbsU1NC4Jrk+Xtcw9y8KcM8fg2LSx"
    "xibNjpfpZCFaVj5axgWI5XsPxKWg7UB+24EArTTApTsOnHnu/HY9Wz/B3dhwIP50demc+h"
    "umgE0zAMznNHM8fzECHH5w+MHh75XrBw7/Lmq9iMMPNfRQQw8pom2UaKZtgB75V4QbQcaF"
    "Jmi3IVweEYS2n3WWDsKBkPogKpwcBieHNQvVEjsLorz7LaGSHvfn1WRDgqtp/iKCWgaTEc"
    "c1n9MwEhqtl974RX2GegrW3+lXID2A9OjFO95T9xdIj13UehHSYxnbGYp66HGpAfrpDfR/"
    "l1truf0rIgIBufyAXGhUbBmNC6M+/YR0Yxgu8kB1KQZ3K3R0Rc9cFy+Wrs6EjQ/ItWC5GG"
    "oQKvYiNbhw9xkp94ZQFMiN0JNDxF8pmuB78RQh4nK0NDl/Ys4UEY6sObYe8FTXYabqVF/p"
    "V3rlIot5ssGMOROK5C4ShjOyyUIKvVLdajh2HomF+XfhT3XnDnNdG79dPr9GT3Niy4+QE4"
    "vvcG+T2dxFJp1+pUw8+vLOvSmGTP+CTOTge4/jafhN/8SRw56kpP9oTEdSUIwLUjOCy1z9"
    "AvZE1V3x969U7DfiVeViAn9yxCjm0BanKwsnGPu7ZPaBsb+LWi9i7OOFWJ3L2PkrgaZM/J"
    "cLcx4WOlDyMOdEycP0kZKWTWRJV7AdlkE6LTk8yOt3qnxro2Qcbi0EMbjtY3CNOgaqs+3l"
    "I6Z6tyByO98p8Dvk4sewQXwRj8CfHSkhtHSYtICVZWuJ4Q4WtvhU/FPY2NJCF7NRbvqmoD"
    "s3owLE1TkJNc8OZjaY2WBwgZkNWu+CmS0X9ZJN3KMyg0spbCTrLeztVrgy83m4veCawDcw"
    "moLtR2Njk1nmWRtp2SGds/Hn8fjw8N14//Dk9Pjo3bvj0/3VgRvpW3knb5xf/Sjt7ZhO0j"
    "1jmOdarFwGbURkgI/74biQ557juL/ukI8TPalA5+QkTjLI8XKSxydAYRL4E+BP9MWyBH9i"
    "F7VexJ8IrKno+l7tiCjNDHBSVCFT2HS9UnT+WqLFshrKqObcs9XV7phe6WMp3eDoQ0MA55"
    "Tf0jLmgGYh3VnV0ptZQmuYapa0UnoPZgCtd1rrMgPPFnZIrt5zA3hZU0A4r0gHWtlNyQ+F"
    "VeV2tBO0R/DsJ3Hf32J3exFGJwphWUMuKdnXst0WzLalbdJtnnS9PDzoxR/0CILlnvOUID"
    "zm+Y95OdYtIrIF9dYfK2kj0RZh252ZScm/zUwvOxtVjWi7xGYnwc2p2pCPYRrg0lUbn4Np"
    "evm4bizaiLyrsaIN8fno05cPH8pVbegf9LQSrim+Y+KPgiq4TkzWx2d7oyY073eBMpqtok"
    "OqA/0NfmSWmRUgSg4Z5cWI/PbEzmp00Ww4iq5lp0I0c0zqIpchOcUDRqbrl7M47JFMsfMX"
    "xGU+2+RZpa09MecBO4iLOyNZmGLNkXDdkEdlg09NUlxDHwKxrA7sAiOIZe1QVANiWbuo9S"
    "KxrHARL+UMRmQgnaVATMVvoB05kyaOdE4P7qTgIODOe32a6cDto6g/Ui2H3EvIDQL8pkuA"
    "AtAcsQqV7XieEIQeCz0Ie6cN4CWmU4lFCsrojY6euBxpUhCHOJOTjor0mokeHxy9Ozo9PD"
    "laEdCrK3m8c5pjpmI3C9s9VDAmNeIDtCj7a0GmHQfb5K6BHYdpjMhs0yYuBQeLlDdrusuM"
    "d1cR1bnxfHq2NEe+LUHbDYgbomhbS/b/whX/mOJw1fVRHnHriRGQ1A9EKBChvaLEgAjdRa"
    "0XIUJfuhdPh3L2G2nFE3bYK32Ca0pwgDTc+Pi4AOJiVCbi6l6iGY/4YKPsWS8xoSEiXSjj"
    "a5yT8TVOZ3yppcB4xA4Rk1bZOLQTQN58d7aLtJVAuCE7AD1q3q5Np86s5VrMkA+3k6haV1"
    "tMh/PjBV5L23TvmbMQ6llUOeUnLQ+VCT0+7Kebi1r+qSzBgavbQjTIw2njZDKezrBjYCrm"
    "wlvCdeHgKXE/qBkvxYRDfbhmjM1UI3GBGnG3hu1HNd2VP9tgT98KQLMJfTBUFU8tqPmd0W"
    "/lfAN92LiqAXmRo8v6CBecXFYYKibs7Xkt76JKWy76EvYTK4oN6QNm5pSVgoviOzGXSlwf"
    "KmAhIR8NSG0LW7kQXl9WrybjbT8xYuGzWUb/4MjdUV7s7VGOM8xZ4e7BEIKDEBwEYzrCrk"
    "EIbhe1XiQEB+fSN9w265m7eGEsHRYc21W4DCEpOAjE287XE2+KWHT8BOiiyEdl+tpyoW2c"
    "lXlYZh1ZCQzisY4vJEdF1pGj7GXkKLWK2CadecL4LoNwVGaAINdfiQDRxXaii1KNlmnbxt"
    "Rz/CRVjsUXmZYpAcmdo72akIPT/VRZSHitG5Uh6tice+wId7vM4pEQG0KpQCLfqpCxd5hj"
    "7B1qjmMIUZMESiW4Q8EW7Q7xLcIvpLtaB9inBaA+zQT6NAmzsh1U9o5/HlRpuyMh2yLYc7"
    "EpG94yjXf0Rje3xzVyC8y51hjJtqm1wmBcFzOuTWraz9xPqtE87H+7vf6UUSiZFExyM8Ry"
    "0X+RTXiRHbJj63mOFiQi+VpIAj6KEytyAij9arXQejmX8TXqyYhr2U5+adEaO/p1oS0XlN"
    "W1H5Qb1V9WF+37zV22MMJY0bY5ajIsd6GmfB/MOCBFxE1s4VDXgdZdg475S2MkHeNt0/jE"
    "FL01CYrE1/UbTxq0kj0gP8vJPq3m6uFWs7kXZ3q3LdKTc6schp/xZM7Yww/YJo/Yed7TJD"
    "Ikh4zyshme/MHyW8vRQfpmvTkNv+xhOl2ygH0K3B4J2K+Q7QDZDr3YbXoa94Zsh13UepFs"
    "h8gqnNJ6NmcYlxpgLK3+jnT+sQUKoxJAx6UGCHT9keEJmz6XIWLD8YMAt20iFpoBQjNAaA"
    "bYlJHTEV614zZN2pS1bFPoYGp41NV1U9ngwySFoQNCl3WtOjhWf7c14qDvzutbzLcUPxEb"
    "WfZH5uaYJV5po+yYmuveNhVWtvj51Ho2FqVRjksCwBkAZ/SszUtjHVrP2hYS0QJeuxK/lZ"
    "SFDaLLG0QYYyiZMpEQg2wUSPaBhJRuQVxfQopuvagB5iDiehmZcaBIJ1bLLnXTTiohOzIe"
    "1dPmyHj4k6HYH8LfEP7uVSAUwt+7qPUi4W/PKdVtOxg+iFBhsiPxUZGaJDkspyfxUaoyKf"
    "rlSgCdEOtrXUwc4+NCxMZxDrFxrOn6vMoQ0BB02YUwCbGtymCqAb22FCYesV1C+Vv5eS9h"
    "LDRSHUO4MBklQhqjbVP1dEQQyqc3lk9PCVdwGWKf4iXXmbTo8AjV+rMSuHCLxefLEnMHu4"
    "Z/aGYa95xeLlkTDGJrbTsLZ+ngR8I8bmytl80zDeH1eDn9+Gjib0sido4Kvkb+TBCY6I6r"
    "kfYwVYcORi3PcWRcNK36/N4eccn2EruOk6o93mJfqjmACkEJCEp0nSqvtUo2Xp5VvZpRUx"
    "s2EPgb7Rx8JqC35nuakEJwZ5QXSTDXYzoTPsjcc7RLomabCR757cIGnc/ZyY4WiNeHlyS3"
    "IiKDcHdaOEVOvlQlEA6GDxDdRlqyik90sS4Cns0fRkTa5w5fxnCqjSVMmVhtBsr/+B/EPt"
    "kF"
)
