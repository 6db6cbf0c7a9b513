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
    "eJztXX9z27jR/ioY/9NkRsnZsp2413feGdtxrm6TOGM7d50mNzyKgiXUFKAjSDtue9+9AE"
    "hJJAFSJEXKJLUzbS4hsZD0LAnsPvsD/9mbsTF2+evTCab+ecB9NnsfUMcnjO79iP6zR+0Z"
    "Fn/JGzZAe/Z8vhokL/j2yFVythSwHCVh3UUiaog94r5nO74YdWe7HItLY8wdj8yjD987Ra"
    "EcWsghTOW8YyT+aov/yblfy7nGzBGTETopJxZQ8nuALZ9NsD/FnhD++jX8xvLuQnzv11/F"
    "vwgd4++YyzHyn/N7645gd5wAiYyVnLxu+U9zde3Ll8t379VI+T1HlsPcYEZXo+dP/pTR5f"
    "AgIOPXUkbeE98Ee7aPxzGMaOC6EbiLS+HPEBd8L8DLrzpeXRjjOztwJdJ7/7cERX2S/OPo"
    "/6OvFhtmWZ+ubq2bi1vL2tMUI79CCvTokiN0K5RKqC+B+s8f4bwrQNTVPfkB5389vX5x+O"
    "algoBxf+KpmwquvT+UoO3boagCfYWy42GJiWX7OtrvxB2fzLAZ8aRkCvlxJPp68ZcqGlhc"
    "WKlg9WwvwF3A1wDge+IHjq+o+xTpPkcBt5cfL25uTz9+lh834/x3V+F3ensh7wzV1afU1R"
    "ehvph4bcO3ezkJ+uXy9q9I/hP98+rTRVqry3G3/9yT38kOfGZR9mjZ49hjuri6QE2MXGk9"
    "mI8raj0pCVpvi9YXGMXUHn37ldbD7aPcuhqXqXN1fWYtb7KYrgBdLP8lMU2JAawpWJk3sS"
    "n5t10BWoMowCvglVbW3b3RAohDpkP9nnmYTOjf8ZMC/FJ8H5s62ABsZNRepabrJsSrq6sd"
    "1bMfl2aq6UETfxEIYF+hcX56c3767mJPX4BrwPhnRhx8upispwjHd5710N7FHKgN0dU9sp"
    "4inNqHzCDLlWNkO/ePtje2EkuIvMOGLHVlOVa/NRvO0ldsKtQ8jn6J/N5x1/iWMXcvy29W"
    "NwfrvWVfjCvsIsvBJgd3gB6JP0XE50igekcmgafefDFgjDi25XCOhUfkc5MLXde0+S62/B"
    "Rwr8G97sgq1VFHC9zrXdR6Efc6XMJ1jf/t5upTxju+lEhrmjg++i9yCW/MwoutrqOAuD6h"
    "/LX82OdYYCVCCSV/+vn0Wq26H0//kVLop/MPV2dp7ckJzlJeJMeUE588YCtLMbf4u29WjE"
    "k2pSLx0wqoJlot2vL25b1tF/+4zdfB8mX7cPXpp8XwtGLSOpDGS7QzWhwb1sPst8Mo3I4X"
    "RX5eb16UgHJh9jty20nElIrqKUseVFW7qgi3IjdCV9CZMP+xTTPs94RgSjOjyJVqQiULqz"
    "4O/tLSrxvzs6urDwnMzy7Ti9SXj2cX1y8OlALEIBJ6u5efbtMcpNjpp5btOCwwUTbnU9vL"
    "YCDTgn3YN4Sj/t1yMZ34U/HPw+F+jhIWj7kYlX7Mo1vD8J4JcPG5NFxKytvO5hlqsKFbpo"
    "zumsy6pxTqDH+fEzFpZZ0n5UHjbdY4xVhYcx6O3tOS+5hBeoub2fJKXMdmMrFl29kSMYGd"
    "zU00efaOZpLt36Y23C+yqYlRmZuaupeEHSLuEBruErwyhFAS1pgIwAmRdoi0dw/hcpF2Pz"
    "KwNkT2s2v7d8yb3TZor7UA29jyWDa+nvaSBKI+NjBzZ5H0+79fY3e5GmSsGadiphs5UY8w"
    "/6PRTIQ5EQ/1nikNIbwzyM1BmBPrHj8VS0DIBsIQ+Ic4P8T5O/HWdjTiC3H+XdR6kTi/+q"
    "+m72z+ZDG+EmfSOr0mSJODQqTJQQ5pcqCTJnMP35HvZRBeSdSD8fo9a3sIvykCcPptiOH7"
    "Jg2vMEesqc2nZQCOy/TwMX5zVADkN0eZIMtbSZBdm/tWwCvtDWlZiGe0ZzPQbQAPP7D7Sn"
    "pOSoKW26zlhZU+eipJj2qCG/hW3dEvMPptgddjLi4Ja0wE4ARGvyWMvnwqa4D4Opqmp9DG"
    "3t0EpNdiB7y+PL/dy9jVakD2C8cdTAIoCqy2jyfgFd8Cffry4cOzlctJVh9zntVoJnZ7kE"
    "tXqzhDOLJg0dwVxYiLBwWPXxGKxviBOFhAOMVCYEbcJ8TukMd88bLTCRJ+ulhbp8gXhi/l"
    "aISnQu2IGPrO1DPtN/qNnjqO+EGLe47teU9qnuhnIjIeIM6QssblZPF7L+RXeMUCHzEP2d"
    "+oh6Vflvy8lwjTMVdFfHbio2whJd6YrMo9IPCBwO/E3tNRKhcI/F3UehECHyibXaBsFrqq"
    "kvCaluxfuutRkcDNUXbc5kgL2zgukWlEQkNCiYY0lWy8dcn+4V1/iEFYop6VkeeWjXVSqn"
    "84HxaKSB7mRCQP9YikAq2cHR4TARItn0QLIuJgO/xDSyFdS0DEHqjqiYSR42qFHqoOeplU"
    "wutwrls5VY9wbzSZ8Nx2jR2N1PVBHjPjiBGQRQgkBJAQnXJHgYTYRa0XISHGxMMZHQuzrf"
    "eEUA8TsU4K2O4nmZb7Sdpuv/PYzKLBbGQyMLNRTon1EOfDYaEGDjn9G9JQywe9NNAJIYC5"
    "AMyyBigoRa6sJJoCuE/JsVj8qiqUYVquf8RK/QSW/0hcwizp2Vjc5GDkLBy6aC2Ityjxu4"
    "GcZPKA74lveYzNyoCdlusb0gfDImaHGJW9jgw104NTe86nrFzDu5hMO5qn9aohpE35I/Yq"
    "OVopUQj8tcex0v3pcC8ur+S4HGi4zRoeR33SLS5bE40N9vAlzejsahJNKZsUavbQMvWKry"
    "v+82p4cPT26OTwzdGJGKK+5/LK25wnQG8YpYqQ8IOMy3L8ewmAdcFK8FbawvbT4O63B9Bn"
    "bAXVske1Z3UjvUG3tXUO7US4R42LOgpwZt+iIun4MXtRblYbBsNlAPfioV9topL2AB5PsG"
    "eJX+iRTZsQnQtPivgf1IwXYsKn/jyi5bIH4r6p7T5xkgPsFcW3TPxR7Fk8jc3XI2RLplos"
    "UchIuYijlJ96YYUKwgWLYm6nGMkd9pWURQvlypoVRjGSF39ENpK+iPgM9C82QgH1iYuIj8"
    "SwsRg0kHUoVFWViF1aIKyXyDTxIbJg5heP+L68TFUtjPiplNshMeRPbT8sd5F35Ef8BTmu"
    "LRziMRo9iU97ZN499tDcY7IS5ht94YiN6wfx2fz1/OnlAD1OiTNFNr8PZ1Boh6dd+WJgeD"
    "H8KmiKPYxC+cVvewm1NG0xFgcI0lh2J6EB0lh2UetF0lg6EZDem4s9SypI02/8Rjsj0rbY"
    "i2dzk3+SScHFRYB8k1co/u5bESwVFiiD+HZWqW0GRbu7KOl7UWSTWsrgLW2EpIUhGNRmXf"
    "NgNrM9QweLnOP9ViJ9SNTJ02Yjp/oFqs+BhR9sN8jghHOyHIzSG+U7dEcfzZx0KX6/4wcy"
    "P0H6ZKWUoYuCJqprQvEZZYzhpcD2sl/3dCu4NvO3iUaaPqbOkzUrYwAnhSC8rxvE2PNYqV"
    "TtpUAfNswtlAw7bDaX4ahKLFhKFuzPNtufrUlEaBvrVU+eh4q+lOy5uhLZLnnfSjBbm9bR"
    "0ue1vryOMr0Akw+8roxF+LegKhYF5V18xtf3Yly93wWA37hgP8zryAghL5M+1sSPV0km9R"
    "bwf10+LzLb8lcIhEIgtBOLbUdDYhAI3UWtFwqElsqS33pqfIe4CYWGBmVOMWg0vocF5PV3"
    "6WOOE3jViuBSoj1cnrq7HBlqpEpGAmqh/6sR0n0vPG0PhdHe9wsqf9pJEZnZiNLUUFU+oh"
    "2Qbs5IZD2/22fd2vnQPg/pViNPpJW0mPgiU91LDm+khlth5U0h5mjvdC4TGl8x4WG9RrI+"
    "YGS78ulB+PdASIRnWwQzWSPwmz1jAfV/Q+wBe8imKI7wnziKKn30soOGPgOy+luwEQyAzN"
    "ohWgPIrF3UehEyK1y3dY2fkUl21vlSpk+s1p+Hw8PDt8P9wzcnx0dv3x6f7C/pLf1WHs91"
    "dvmTpLoSGtW5r3vxa8twX4vxPeS+6i+lqHISyEYN/doNcCN5Tx6+wx6OHJbiMMeEeneE+7"
    "AQzsMcnIc6zpHRbdl3vqnnat5CrYnCel15vQaWNVMhO8OytpNR2TTtDg487zt93bYVHFIc"
    "u8e2phfg7YUK2rk2VI4UrFpWwQHdPTyg+zzgPpu9jyywPVNwIDlikBsZUGOthUFXsCnRqc"
    "a/s0eK/np7+xktTcMXj7LDD5MMPJq7tn/HvBlXjX5Q+KHLoVEznmRooIlPMCa9ppd1BSZk"
    "v0LAoBv7cEepYwgY7KLWiwQM1H81fWczfovxPaRV66+Bjn8tDePsLhcpsV5Ave1WF3PbE3"
    "/zsWcoP89m+ZJSwPXVzvUJcKesVKBsJdGL96DRY/MCz7VkryvZRqEMxmm5HiI93C8azMmN"
    "5mjhnKmwDEouMjERWGFqX2E4tl1hi3IsfBHfylRPTo+prAn60EBj6x2n4iha8mqpVyVDvB"
    "2vjfy83rw20jNjgZ99MM97l9kZb4xBNqWhOynclG4O9l9rLSwX12oH/93Vl7MPF+jz9cX5"
    "5c1lpIilQ6duykviAgkJzOuL0w8prAm3ZFvuB8MefcaYi22awWfF5VIIj4RgUwAvSK44wE"
    "viq26Az66uPiSe7rPL9Drz5ePZxfWLg5dJoPUYPwTsIGDX9uhHDeURqTNoNjzjQx09o8c0"
    "egJ/uWM+SsaKLmY2ca8Cf8S+7xkCRfHbg7woEZYDLbYaWWvjEYi1QKylE+9wR1l3iLXsot"
    "aLxFrEHTFYzFfq2IWk1NaOXtheNvuwUDb7MCebfajRclVY0J4zoPWHt3gw+hd2DEtYzhki"
    "K5EeQtxIYYYvz7AYsXGpRvkJoV4gvW3mcurP3NKwJ4QA9gqwi91OdlFmvCw5lhTcIju2vB"
    "JHv6yf9iz8WBTpkMc5mGj5tSGSlSCERiqHRjx8V2oDTUg1hPvzGYMnRTbQk+z980TbPiPA"
    "8Pc5ETZ0BY/LOAF0dm+Pn6W713C2HZxtF2IJZ9vB2XZtWZVcm4ttxHx+S7atlZQCQ6tCKq"
    "jHHojMH5lhzu0JNoaCs7eGDPE+aCK1TRRiLw5y2IsDnb3gmFZZ3GJiYGq1eVGDAzv7rWst"
    "4eN5yjB/Ymzi4suxWBaIb+zRmBoxyAuwT9RYsZCrwQQXrcNE4Ycg23Fkyyz04kqY6pfv0D"
    "mjFDs+itjtl8hGAcce4mRCOSIUPRJ/aqi63Hw+iO9v402F+D5EeiG+v9NaLxLfb0M8tE3t"
    "046Pi1TcHB9nF9zIe6nzT2VuXBmElwK9CMdtIXVCEQ7S0rAIrbCAGcTBqm/PomXYq4RlWT"
    "I7PiYCWfH5WfEBN3V5bKoFUEshXZsFH3ug2nQ4QOie3QhNXdIb31bfKcPxjA8aFPA9Fyuk"
    "DDwV9z/FaE8of+E3ykleCXfwBfOQS+j9yx/DJv5CJS5+JUBFlMkG/4Ry4etG9yZUTPCb+t"
    "zfTD5pI58BfmoLlqkB+Kk75LGAn7qLWi/ip6oF25rafFrGkUpK9c5brT892hGbv/WAPSJm"
    "NNiA2Uhrgj10XQ+GRXqfiFHZwcah1v+EkbFjqee0DNxJqR5iXf+jPfLYozTZR0RlKpVeS7"
    "LkAfwC4MvTxTzs+FbglWLC0nI9BHu4f1RkWZHDcrr8HGkLS/Xs0drTRtumgO7aRUYqrJIt"
    "zOs0hIHqbC4Dj9B7qwLfmZaDkxFyOc8lXNsjPtsJ61reM/1gtYn8vKQPxLezup7H7g7y6E"
    "6yHFeM5MyGGCjEFrz1A6AQd4hMAgpxF7VehEKENIzGO1iwe0xLEytJKSBp15Ip4NlXsRJa"
    "vlzpu5TtOHhebZtKiYKH32Y9e/hBrIBV1JyUBC23WcvKqaxyxqUmCEwOtMzdIrwec83lp9"
    "mwxkQATuhAXD8HWenIUPlU1gDxdTRNT6GNvbsJSK/FDnh9eX67l7GrAW++BlhtH2/VmaEf"
    "8WyEPT4l8z0Dcx67O8hjzmfLcQ0w51+XiemJRRMO4gRGvRtLcEe5VWDUd1HrRRh18LzA8+"
    "oOnFA0CEWDz+0ErM2byVpegRsAbuDZoV3PDTyP83p1GvjTzGLX2N1BnvPKhKkzrVjcqj4D"
    "3bnssc5y1g1nheyzFmyZA/CVd8hrAl95F7VexFeGAlYoYH3upL9GClhbVVfZstgQZAI+t0"
    "/Twa3DYDFAjV+v9avOQBZ+GnNL8pOaILCUQPpukfRdPX81kGfqFO/bBk89awGDpr2w66lJ"
    "INZrIdafiZmk+FZsr7eyxGXPxE3G7w9y2UmKLblTW6pcpiBBebMkDAdIWXzi3yicAMniJj"
    "wW/0I2mmOPM/ojUhVPKPSCHMWgD9Dc5vyReWMkVgXs63RlQ58B5GULlv4BkJc7RGMBebmL"
    "Wi9CXs4Dz3y8bc4RVCuRHjJph8NC1bM5xbNQOwuMWbue8O6uV8CY7aB+gdZZo1TI5dtNyi"
    "Ge5meiHFJpgDmUQ2wkdMICdx7c+U45duDO76LWC+Ui2bNSvvxifA8d+WGhA6SHOQdIDw0H"
    "SLvBpAy+i/Hgv6/13+NfS0M4+0T6lNj2HuQ93QpoyIVr4hj6RzzixC+1VsREuopyiuortE"
    "Ic5qwQh/oKMQo4oZhz8Y19m4R2dxLhv91cfcpImDPIpvdf4vjov8gl3G8M8pXNOwqI6xPK"
    "X8uPfQ6zV2KV/+ynH/PUnionSD/7hFvC1SEPhqf/jDEX2zTDAYnLpfQyajC7YbHKx6Ffrv"
    "x1I352dfUhgfjZZXo5+fLx7OL6xYGCXwwioXN8+ek2nbErz3jwrZHt2sZDUM7I5JJmLOu6"
    "bApw6b03hPd+Guz9DVacifzUV38eDg8P3w73D9+cHB+9fXt8sn8ixqqvqN96m6eey58k0A"
    "mF6MjLLzXHlhNwn80y+LQco8UoXUvWbossmINCq/9Bzup/YFj9w+fVsl3s+WHFWRnkM8S3"
    "uN2ye32Vj67VAvqbIpinHagY5G+0soCIoyjdfU8ThO57udTxCq/tEcjtxHUtf6w9WqUbQq"
    "UTMcO12FoYZgar8iya5/3fr7FrZ7hD8XzMczXl+2jGDrr7WdrISMCuA7Oe5bAmkZoT6x4/"
    "bQrTnIhVoK8YOba76XN0Lqboz8qnoWPZ1HafOK4BpVM1E+F9fpgs/IClzMZgXch5evpcuX"
    "g8MYWtS2Gk/MkPaqYL6nv9XaJqtRR2w0hIHQtVHa7kOVR9hCrVB7Q6VMnGo32Eaj6VlR00"
    "UL9zM7A+y6k+qZn6ilaY7yrPPXDqeBNV3c31cra+oqbcmw2h+pkRByv3pq8oPeLRlLF76Y"
    "MTWZ60qXX6Szjfu3C63poSC9gwHc8Z2fg5i1C7iGbrE2qlsv5iNH0wyol5L7CVlYRM/LEe"
    "4ZvUfD3xBUqmScY3S0OWZGovzU6S1PZvSJKEJElIkuxKuhwkSe6i1oskSeKDN0dlorKL8b"
    "1L4it0UmjOQaH6OaFzjz2Qcbn+bHGZLUa6/UfiEqbvUrHr7Yx4L/CyeLm0jrRc3xI66k9J"
    "fZCeseXYc/XjdQM9L1lMk4WEsbUJY3zGK6Kdktwi1ssrcbDLugfPg7Zv+4HBp89LDFtIbH"
    "GdXqVcJpeQ2PV2rtN3HsF07D5ZZYsyNMF+pFvXvz57WKwI1erBU6JQE94ee1130+A0om0m"
    "+sHhJFVy/gofTlJT7XgqBlQHfVwqENTO5W5z8ti1jbX16vogly4WI4AmBpoYaOJOEYZAE+"
    "+i1ovQxPfYUOmQ7bVFw3tHEtfvtkGTgmaL0GaM+lP3yZp7ioI0ZwhlVl5mSG+v/LJJ8MNq"
    "zOHB0dujk8M3R8sizOWVvNpLQ4Vr4HmYOqXWibjMFomdgC++iuFiLdX0RWrpsyvpDXV9Y+"
    "Jza449+X/CDPbtmurhtDA8wplF2iFUM0IDU8FqIZxXwoCzAecRcV15CBKhArSZ0WPPqQs2"
    "CW9x8VjpNgl17HodS0iRM6yyT7DSzq+K6tjDjaxSCXxctG/h0kZMD2it0VzsTqNsi5QPx1"
    "NMN8zf7XF2aVMdOz8LTO+YN1N1w2ZWcXV/sIZdVCNXpcxFDjGWg5Hj2pwjQpHDPPyDkv+B"
    "zOau2kjCWosBsjkSw3zEn6iDx+jFbyp/ISwvUNNwdeu3l6ZTjZv6GKBDgQ4FYgzoUNB6C+"
    "jQ52XtWmQ4N9D6knCxv5dPFErLAUFazEvpWqvRZ0oTaqLvaNSeoKIGzNJ9OE9623oQK/00"
    "RKzEepMQ6sXj33QOqEJMfOYdMbSNzm4EmxKDHrD5z3+FHrAhuBZ3pnhml1GNJgjKqV05HA"
    "v30Lcq6yhLHlRVu6rUgcfLZkMVdJU5QTuUJT+vN8oCdn47lTUSrwebuBUKmdKigPb6OibF"
    "JVdgoxKCUAHSHu4ppBwrxbug3+tzxbqu8Z1Q+DQ88N4Q60rcH+TFurxwpBUeNV8o1gUp9R"
    "BDgmhCS1Z0iCHtotaLxJDgKPStxJPgKPTeGsWJ8nfmV1xDk5Lg+rRZyzxwHMw58yyObRcb"
    "bNLseJlJFqJl5aNlXIBYvvdAUgraDuS3HYjQ0gEu3XHgNPCnN6vZugnu2oYDyaerTefUXz"
    "MFrM4AsJDTzPH8xQhw+MHhB4e/U64fOPy7qPUiDj/U0EMNPaSIbqNEU7cBOuRfEW5FGReG"
    "oN2acHlMENp+1lk6CAdCmoOocHIYnBzWLFRz7M2I8u43hEp63J+Xk/UJrqb5ixhqGUxGEt"
    "d8TsNKabReeuOr+gz1FKy+069AegDp0Yl3vKPuL5Aeu6j1IqTHPLEzFPXQk1I99NMb6P8u"
    "t9Zy+1dMBAJy+QG5hVGxYTRuEfXpJqRrw3CxB6pNMbgboaNLeur7eDb3TSZsckCuBcvFUI"
    "tQsRepwYW7z0i5V4SiSG6AHj0i/krRCN+JpwgRn6O5zfkj88aIcORMsXOPx6YOM1Wn+ka/"
    "0UsfOSyQDWbsiVAk95EwnJFLZlLohepWw7H3QBzMf1j8VH/qMd938ev500v0OCWu/Ag5sf"
    "gOdy6ZTH1k0/E3ysSjL+/c2WLI+C/IRh6+CzgeL77pnzjy2KOUDB+N8UAKinFRakZ0matf"
    "wB6puiv+/o2K/Ua8qlxMEE6OGMUc2uK0ZeEEY3+XzD4w9ndR60WMfTwTq3MZO38p0JSJ/3"
    "xhzsNCB0oe5pwoeagfKem4RJZ0RdthGaR1yf5BXr9TFVobJeNwKyGIwW0eg2vUMVCdbS8e"
    "MDW7BbHb+U5B2CEXPywaxBfxCMLZkRJCc49JC1hZto4Y7mFhi4/FP4WNLS10MRvldmgK+l"
    "M7LkB8k5NQ8+xgZoOZDQYXmNmg9TaY2XJRL9nEPS7Tu5TCRrLeFr3dCldmPvW3F1wT+EZG"
    "U7T9GGxsMsk8a0OX7dM5G38eDg8P3w73D9+cHB+9fXt8sr88cEO/lXfyxtnlT9LeTuhE7x"
    "nDAt9h5TJoYyI9fNwPh4U89xzH/WWLfJz4SQUmJyd1kkGOl5M+PgEKk8CfAH+iK5Yl+BO7"
    "qPUi/kRkTcXX92pHRBlmgJOiCpnCth+UovNXElssq6GMGs49W15tj+mlH0vpR0cfWgI4r/"
    "yWljEHNAtpz6qmb2YprWFqWNJK6T2aAbTeaq3LDDxX2CG5es8N4GVNAeG8Ih1oZTelMBRW"
    "ldsxTrA9gmc/jfv+BrvbszA6cQjLGnJpya6W7W7BbJu7Nt3kSTfLw4Ne/EGPIVjuOdcE4T"
    "HPf8zLsW4xkQ2ot+5YSWuJthjb7k1sSv5tZ3rZ2agaRLdLbLYS3JyqDfkY6gCXrtr4HE3T"
    "ycd1bdFG7F1NFG2Iz0efvnz4UK5qw/yg60q4oviWiT8KquAqNVkXn+21mjC83wXKaDaKDq"
    "kO9Nf4gTl2VoAoPWSQFyMK2xN7y9FFs+EoupKdCtHEs6mPfIbkFPcY2X5YzuKxBzLG3l8Q"
    "l/lsoyeVtvbIvHvsIS7uDGRhijNFwnVDAZUNPg1JcQ19CMSyWrALDCCWtUNRDYhl7aLWi8"
    "SyFot4KWcwJgPpLAViKmED7diZNEmkc3pwpwV7AXfe69NMB+4QRfORajnkXkquF+A3XQIU"
    "geaJVahsx/OUIPRY6EDYWzeA55iOJRYalPEbLT1xOdakIAlxJicdF+k0Ez08OHp7dHL45m"
    "hJQC+v5PHOOsdMxW62aPdQwZg0iPfQouyuBak7Dq7NfQt7HjMYkdmmTVIKDhYpb9a0lxlv"
    "ryKqc+P59GxpjnxTgrYdEDdE0W4t2f8LV/yjxuGq64M84jYQIyCpH4hQIEI7RYkBEbqLWi"
    "9ChD53L54W5ew30opn0WGv9AmummAPabjh8XEBxMWoTMTVvVQzHvHBVtmzXhJCfUS6UMbX"
    "MCfja6hnfKmlwHrAHhGTVtk4jBNA3nx7tgvdSiDckh2AHgxv17pTZ1ZyW8yQX2wncbUut5"
    "gW58cLvOau7d8xbybUM6tyyo8uD5UJHT7sp52LWv6pLNGBq5tC1MvDaZNkMh5PsGdhKubC"
    "G8J17uEx8T+oGS/EhH19uCaMTVQjcYEa8TeG7Sc13WU4W29P34pAcwm9t1QVTy2ohZ3Rb+"
    "R8PX3YuKoBeZajy7oIF5xcVhgqJuztaS3vokpbLvoSdhMrii3pA2bmlJWCi+JbMZdKXO8r"
    "YAtCPh6Q2hS2ciG8rqxeTcbbfmbEwaeTjP7BsbuDvNjbgxxn2ZPC3YMhBAchOAjGtIRdgx"
    "DcLmq9SAgOzqVvuG3WE/fxzJp7LDq2q3AZQlqwF4hvO19PvCli0QkToIsiH5fpasuFbeOs"
    "zMMy68hSoBePdXIhOSqyjhxlLyNH2iri2nQSCOO7DMJxmR6CXH8lAkQXtxNdlGp0bNe1xo"
    "EXJqlyLL7IuEwJSO4c26sJOTjZ18pCFtfaURmijs25w55wt8ssHimxPpQKpPKtChl7hznG"
    "3qHhOIYFapJAqQT3QnCLdof4FosvZLpaB9gnBaA+yQT6JA2zsh1U9k54HlRpuyMlu0Wwp2"
    "JTtoK5jnf8Rju3xxVyM8y50RjJtqmNwmBcFzOubWq7TzxMqjE87H+7ufqUUSiZFkxzM8Tx"
    "0X+RS3iRHbJl63mOFiQi+VpIAz5IEityAij92mqh9Xwq42s0kBHXsp38dNEaO/q1oS0XlN"
    "VtPyg3qL+sLt73m/tsZi1iRZvmqMmw3Lma8n00Y48UkTSxhUNdB1q3DTrmz42RdIw3TeMT"
    "U3TWJCgSXzdvPDpoJXtAfpaTfVrO1cGtZn0vTn23LdKTc6Mchl/waMrY/TvskgfsPe0ZEh"
    "nSQwZ52QyP4WD5reXoKH2z3pyGr3uYjucsYp8it0cC9msq22E1MIIz6iDzK6RBQBpEO7eh"
    "jgbEIQ1iF7VeJA0itjxrWs8mE5NSPQyy1d+qLjzPQGFUAuikVA+Brj9kPGLjpzIM7WJ8L8"
    "DdNkMLXQKhSyB0CWzKyGkJ4dpym0Y3ZR3XFjoYWwH1TW1W1vgwaWFojdBmXavWjtXfbYM4"
    "6Lv1+hbzzcVPxFaW/ZG5OWaJV9ooW6bmurdNhZUrfj51nqxZaZSTkgBwBsAZzWzz8lv71s"
    "x2CxlqEeFdid9Ky8IG0eYNIhVTKBosSIlBmgpkAUGmSrsgri9TxbRe1ABzFIq9iM3YU6RT"
    "q2Wb2mynlZAdMo/raX3IfPGTm+8C8NX0IBMuvoH8TmOIj0N8vK3rR0cjpRAf30WtF4mPB1"
    "6pPt3R8F7EEtO9jI+KVDPJYTndjI+0mqb4lysBdEqsqxU1SYyPCzEfxznMx7GhX/QyhcDA"
    "4GWX0KTENiqgqQb0ylIYBcT1CeWv5ec9h7HQSF1NzKLT9LKu7jomCIXXawuvx4QruCyxT/"
    "GS64wu2j/Gtf60BS78ZvH5sjjdw74VHrep457TBSZrgl5srdtO05l7+IGwgFsb62X9TH14"
    "PZ5PPyGa+PuciJ2jgq+RPxNELtrjaugepurtwagTeJ4MnOqqz+8KkpTcXubXcVq1xxvsSz"
    "VHWCFqAVGLtnPptdbXJgu7qtdBGqrKegJ/oz2HTwX0znTPEHOI7gzyQg32akxrugxn7jnG"
    "JdGwzUSP/GZhg9Yn9WRHC8Trw0uSWzGRXrg7Wzh/Tr5UJRCOhvcQ3UaauYpP9LEpRJ7NH8"
    "ZEts8dPo/hVBtLqJlY24yk//E/SpLtlQ=="
)
