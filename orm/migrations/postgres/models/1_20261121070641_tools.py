from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "platform_tools" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "name" VARCHAR(64) NOT NULL UNIQUE,
    "display_name" VARCHAR(100) NOT NULL,
    "description" TEXT NOT NULL,
    "custom_description" TEXT,
    "auth_type" VARCHAR(16) NOT NULL,
    "auth_config" JSONB NOT NULL,
    "config_schema" JSONB NOT NULL,
    "secret_config_schema" JSONB NOT NULL,
    "tool_functions_schema" JSONB NOT NULL,
    "is_active" BOOL NOT NULL DEFAULT True,
    "is_available" BOOL NOT NULL DEFAULT True,
    "synced_at" TIMESTAMPTZ
);
COMMENT ON TABLE "platform_tools" IS 'A tool class in core/tools/implementations, as last synced (`voiceagents tools sync`).';
        CREATE TABLE IF NOT EXISTS "agent_tools" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "config" JSONB NOT NULL,
    "sensitive_config" TEXT,
    "secret_fields_set" JSONB NOT NULL,
    "unselected_functions" JSONB NOT NULL,
    "is_enabled" BOOL NOT NULL DEFAULT True,
    "oauth_account" VARCHAR(320),
    "oauth_connected_at" TIMESTAMPTZ,
    "oauth_expires_at" TIMESTAMPTZ,
    "needs_reconnect" BOOL NOT NULL DEFAULT False,
    "reconnect_reason" VARCHAR(200),
    "agent_id" UUID NOT NULL REFERENCES "voice_agents" ("id") ON DELETE CASCADE,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
    "tool_id" UUID NOT NULL REFERENCES "platform_tools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_agent_tools_agent_i_37c903" UNIQUE ("agent_id", "tool_id")
);
COMMENT ON TABLE "agent_tools" IS 'A tool enabled on an agent, with its configuration and sealed secrets.';
        CREATE TABLE IF NOT EXISTS "custom_functions" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "description" TEXT NOT NULL,
    "parameters" JSONB NOT NULL,
    "method" VARCHAR(8) NOT NULL,
    "url_template" VARCHAR(2000) NOT NULL,
    "headers" JSONB NOT NULL,
    "sealed_secret_headers" TEXT,
    "secret_header_names" JSONB NOT NULL,
    "timeout_seconds" DOUBLE PRECISION NOT NULL DEFAULT 10,
    "is_active" BOOL NOT NULL DEFAULT True,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_custom_func_organiz_9f7670" UNIQUE ("organization_id", "name")
);
COMMENT ON TABLE "custom_functions" IS 'An organization''s own HTTP function (what other platforms call custom functions).';
        CREATE TABLE IF NOT EXISTS "agent_custom_functions" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "agent_id" UUID NOT NULL REFERENCES "voice_agents" ("id") ON DELETE CASCADE,
    "function_id" UUID NOT NULL REFERENCES "custom_functions" ("id") ON DELETE CASCADE,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_agent_custo_agent_i_8ef43d" UNIQUE ("agent_id", "function_id")
);
COMMENT ON TABLE "agent_custom_functions" IS 'A custom function enabled on an agent.';
        CREATE TABLE IF NOT EXISTS "oauth_states" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "nonce_hash" VARCHAR(64) NOT NULL UNIQUE,
    "code_verifier" VARCHAR(128) NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "used_at" TIMESTAMPTZ,
    "agent_tool_id" UUID NOT NULL REFERENCES "agent_tools" ("id") ON DELETE CASCADE,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "oauth_states" IS 'A started OAuth flow: the single-use nonce inside the signed `state`.';
        CREATE TABLE IF NOT EXISTS "token_revocations" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "sealed_tokens" TEXT NOT NULL,
    "sealed_table" VARCHAR(64) NOT NULL,
    "sealed_row_id" UUID NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "attempts" INT NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "last_error" TEXT,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_token_revoc_status_8d7c94" ON "token_revocations" ("status");
COMMENT ON TABLE "token_revocations" IS 'An OAuth grant to revoke at its provider; sent by the worker side, which can unseal.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "custom_functions";
        DROP TABLE IF EXISTS "agent_custom_functions";
        DROP TABLE IF EXISTS "agent_tools";
        DROP TABLE IF EXISTS "oauth_states";
        DROP TABLE IF EXISTS "platform_tools";
        DROP TABLE IF EXISTS "token_revocations";"""


MODELS_STATE = (
    "eJztXW1z2zYS/isYfblkRklj2XF8vZubsR3n6jaxM7bS6zTtMDQJWThToEqAdnxt/vsBIC"
    "XxBaRImpRIamc6jU1gQfpZEth9drH4czBzbeywl8e3mPJTn3F39s6nFicuHXyP/hxQc4bF"
    "D3ndhmhgzuerTvICN28cJWdKAcNSEsYkFFFdzBvGPdPiotfEdBgWl2zMLI/Mw5sPjlEghx"
    "ZyCFM5ro3Ej6b4T479Uo5lu5YYjNDbcmI+JX/42ODuLeZT7Anhz5+DJ5atC/HB77+L3wi1"
    "8VfMZB/56/zOmBDs2DGQiK3k5HWDP87VtU+fzt++Uz3lc94Yluv4M7rqPX/kU5cuu/s+sV"
    "9KGdkmngR7Jsd2BCPqO04I7uJS8GeIC9zz8fJR7dUFG09M35FID/65BEXdSf7v4F/ho0W6"
    "GcbF5di4PhsbxiClGPkICdDDS5bQrVAqoVwC9ee3YNwVIOrqQN7g9Ifjq2f7h88VBC7jt5"
    "5qVHANvilBk5uBqAJ9hbLlYYmJYfI02m9FCyczrEc8LplA3g5FXy5+qKKBxYWVClbv9gLc"
    "BXwNAD4Qf6B9SZ3HUPc5Chiffzi7Hh9/+ChvN2PsD0fhdzw+ky0jdfUxcfVZoC9XfLbB17"
    "0cBP3nfPwDkr+iXy8vzpJaXfYb/zqQz2T63DWo+2CYduQ1XVxdoCZ6rrTuz+2KWo9Lgtbb"
    "ovUFRhG1h0+/0nqwfJSbV6Mydc6uW9byUybTFaCL6b8kpgkxgDUBq+vdmpT8z6wArUYU4B"
    "XwSitrcqe1AKKQpaF+53qY3NKf8KMC/Fw8j0ktrAE2NGovE8N1E+LV1dWK6pkPSzNV96KJ"
    "HwQCmCs0To+vT4/fng3SE3ANGP/sEgsfLwbrKcLRlWc9tJOIA/VEdNMeWU8RTqxDepDlzH"
    "FjWncPpmcbsSlEtrgjN3Fl2TfdNBvNkldMKtRsh3+JfO6oazx2XWeQ5TerxuF6b5mLfoVd"
    "ZNlZ5+AO0QPhU0Q4QwLVCbn1PfXliw42YtiU3RkWHhFnOhe6rmHzXWx5F3Cvwb3uyCzVUU"
    "cL3Otd1HoR9zqYwtMa//H68iLjG19KJDVNLI7+Qg5hjVl4kdn1xicOJ5S9lLfdxgQrEYop"
    "+eLn4ys16344/iWh0IvT95cnSe3JAU4SXiTDlBFO7rGRpZgx/sr1itHJJlQk/rQCqglni7"
    "Z8fXlf29kv43wdLD+295cX/150TyomqQNpvIQro8GwZj7M/jq0wu34UOT9evOh+JQJs9+S"
    "y04splRUT1nyoKraVUWYEboRaQWdCPMfmzTDfo8JJjRzE7pSTahkYdVHwV9a+nVjfnJ5+T"
    "6G+cl5cpL69OHk7OrZnlKA6EQCb/f8YpzkIMVKPzVMy3J9HWVzOjW9DAYyKdiHdUM46l8N"
    "B9NbPhW/7o9e5Shh8ZqLXsnXPGwaBW06wMV9aTCVlLed9SPUYEO3TBndNZnTnlKgM/x1Ts"
    "SglXUelweNt1njFGNhzXk4/E5LrmMa6Q0uZssrUR3rycSWLWdLxAR2JtPR5Nkrmk62f4va"
    "6FWRRU30ylzUVFscdoi4Q2i4S/DKEEJJWCMiACdE2iHS3j2Ey0XaeWhgPRHZj47JJ643Gz"
    "dor7UA28j0WDa+nvSSBKIca5i5k1D63U9X2FnOBhlzxrEY6VoO1CPMvzWaiTAn4qUe6NIQ"
    "gpZhbg7CnBh3+LFYAkI2EJrAP8T5Ic7fia+2oxFfiPPvotaLxPnVvyl9Z/Mni/6VOJPW6T"
    "VGmuwVIk32ckiTvTRpMvfwhHwtg/BKoh6M169Zm0P4sAjAya8hgu9hEl5hjhhTk03LAByV"
    "6eFrfHhQAOTDg0yQZVMcZMdk3PBZpbUhKQvxjPYsBmkbwMP37l0lPcclQctt1vLCSr95LE"
    "mPpgSf4Ft1R7/A6LcFXs91cElYIyIAJzD6LWH05VtZA8RX4TA9hTby7cYgvRIr4NX56XiQ"
    "sarVgOwnhjuYBFAU2NQ6HoNXPAW6+PT+/da2y0lWHzOWVWgm0jzMpatVnCHoWXDT3CXFiI"
    "kXBdsvCEU2vicWFhBOsRCYEecRuRPkuVx87PQWCT9dzK1TxIXhSxm6wVOhdkQ0dWfqGfY3"
    "+hs9tizxBy3aLNPzHtU44Z+JiD1EzEXKGpeDRdueyUd44focuR4yf6Meln5Z/H7PEaY2U5"
    "v4zNitTCElvpisnXtA4AOB34m1p6NULhD4u6j1IgQ+UDa7QNksdFUl4TUp2b9014MigZuD"
    "7LjNQSpsYzlEphEJDQklatJUsvFOS/YP7/pDDMIS9YyMPLdsrONS/cN5v1BEcj8nIrmfjk"
    "gq0MrZ4RERINHySTQ/JA42wz+0FNK1BETkhaqeSBg6rkbgoaZBL5NKeBWMNZZD9Qj3RpMJ"
    "19cELlMOuGIhYIqiBOzfGHIfKPphPP64qvH77GEq2QtJVaB5mKgruRPHSZYDZs81BY+auI"
    "O29lGSf1dgQgkkYFa6MQd11McGZmUXtQ6pkVt2+KKPlcI4u5ZRQqwXUG+6jtHc9MRPHHul"
    "CuPEpdpRDqdXJb4EuFNXY8RlTzgriV58B/Ep56jAjHOUOeEcpVgPzzE4nknrvNSknpTrId"
    "KjV0WrBeSWC0gRTVNhGZScZCIiMMPUPsMERXiNsBRdpnryKglmDNAH6nVL5QQDFA15tdSn"
    "kiHejs+mV3XqpGfm+ly+9i61NUp657hmxhejkU1oaCKFm9LN3quXr5JaWFyrHfy3l59O3p"
    "+hj1dnp+fX56Eilg6dapSXVpV9rs6O36drApqWrFWqoXPXlARcyUFFwPUVASFRHTKrWxas"
    "GFbNrC4SLFJR4icGiTKOOOwJ/I3Gis5mJnEufX7jfh1oAkXR5mFelAjLjoa76gllKCDWAr"
    "GWjrDuEGvZRa0XibWIlgq5dnGpHlJzjRSnrkKD9pwCrT++xfyb/2orAmdjHBHpIcSN5DJy"
    "/JUbN66t2fKXzWLGhHqB9KapyymfOaVhjwkB7FUYY25yv9QCuZJoCvC05zHH1JaopUCPNr"
    "SzmpDJ5TqnownOacZbHRVJYEyaq7OaInWfwOiKBxT/vBjtHbw5ONo/PDgSXdSTLa+8ycE5"
    "TS1SOb2GsFSw4jXimzHlN1kWq7uWe9phUxWesOe5mrz37NUgLgXxwwppPJ57T2Tsbyb8H/"
    "NWXxglr8ycVrwPmthAWT+m9niVntwiYrDfss2TmuWYQge24VNONAXC19CPSWHQddt0nQrW"
    "bafUyTm9J9zM2j4TaR3mBUXIsh+U5oaYCMREOsWOQ0xkF7VeJCaiYt1lTPqlQC/YtU1EQu"
    "R239L1o+NSvSvSXX8spPqJmLWfhdm2l7y701V6lZIF4+bVlqmEKPhLbdYzVJzaBS0rp7JK"
    "kfCUIBQJh9zrDcILRcIhlX3DEEOR8K4UCV8tTjUg2+8i4al1vFVFwj/g2Q322JTMBxrmPN"
    "I6zGPOZ8t+DTDnn5fF4GKTJlR0Aka9G1NwR7lVYNR3UetFGHXwvMDz6g6cUKgXCvVu2wlY"
    "W6g3a3oFbgC4ga1Du54b2I7zeqnOsOKmepqU8xppHeY5r25wwJXsWLRaMhK9PaFmpO6BJo"
    "77EJxDxQTcDn4hPndE5TlPiFBGbBy2yZOr0Bd1py+aCsl1jQrZZy1YMofgK++Q1wS+8i5q"
    "vYivrCbs0rlRcSnIjVJ/d15ulCXWdeMee0SMqPFHcs4ZSgr2MOlvb1SkCqzolb11Z5SqBA"
    "vZaFWshpZPX5pVi1VbshjkJ3VCv6qgm/AVXKckR5YSBKYMiMcNEo+r968GAkeVJBw3WOC0"
    "BSxO6oNdT48BuVsLubsldozisVheg7PYdPxYtH2Yy5BRbMiVOnJE3HqS7HpJWg2RsvjUOe"
    "rBKehygw22xW/IRHPsMZd+j9SuGxRY4pZicYdobjL24HrycHWGNQfCN3QPINBaMPUPgUDb"
    "ISoFCLRd1HoRAm3ue2LEUlUWIyI9ZHP2R4V2cOZs4IT9m1vhKIExq2ImtHy+AsZsB/ULtM"
    "4apUI+2W5SDtFUMx3lkEhFy6EcIj2hGhO48+DOd8qxA3d+F7VeKB8GTgOPHBhbwMUc5R8X"
    "m6qo6vi3ZfBd9Af/fa3/3rWz1gdpK6AhF66JuswP+IaRcqerRES6ivIGDvu48RmhmDHxxN"
    "wkTqnTcnWy7Tgqt1cnTMPxrTmI13h8q3AfbMKNG9NZsAkJsMlt5okVadlOn1vx99Fof//N"
    "6NX+4dHrgzdvXh+9Wh5gkW7KO8ni5PzfEuiYQgLkU6xPNkmRTPOx1GmhxuKzhwNIc7iijP"
    "S+OjDrWYZUHKk5Me7w41NhmpOf8GNfMar3M9yNLzBRVb46XPEy9n2EKlFGqDpU8bpFfYQq"
    "CL7LQqBWHe+WSgK8Wo7WV9TqOL38Z5dYWK2GfUKpyajQRwHpxPVmynrQRIVi7cO8qNA87L"
    "kyaIps1padkeWYjCFCkeV6+Dsl/x2ZzR08E5oMPqEhMhmSB2oh9ihMehs9+3IvlR28NWoY"
    "ppq+PNft3m7qNhC+gvAVBDIgfAVa3/nwVb/DK4SJ9f3RKAtxUq6HkcJGzl7sWjhrS+mJTc"
    "S2Qh6logb00n04cXTTelCVnxRiJeabmFAvXv/GzwOXiIl7TogmNSE72JgQgzhj7XHGAFyD"
    "WVM8M8uoJiUIyqldOQwL95AblXWUJQ+qql1ValP9MipSQVeZA7RDWfJ+vVEWJFdsJrlC4n"
    "VvkuBvLw91VBTQXot2wCVXYKNigrDzrD3cU0A5PiFpBrI+Nh/rusITofBpZtGVWPswL9bl"
    "BT3L1FyBLVAQQ4JoQktmdIgh7aLWi8SQoNwGlNtohWnUwY8pPYd6Lq84h8YlwfVps5YZZq"
    "z8aWNxKSi9kV96I0QrDXD5cqry5JXVaN0Ed20Rjvjb1aY6HOo8Ip33GZ5TlON1ih7gbIKz"
    "Cc5mp9wOcDZ3UetFnM07rDmiPdvLDLuDe7nWvYRCJpCeGDMM0jZAQ75bE5lwhBlhtF8TMF"
    "oTqo0IbjBQu7wShbysqbqxUG21MB5sSYbttfVBBdtrC0M1x96MKO/+iVBJj/vjcrA+wdU0"
    "fxFBLYPJiOOaz2kYCY3WS298Xh4kvbrN4HcgPYD06MQ33lH3F0iPXdR6EdJjHlsZinroca"
    "ke+un1kyBqaS23fkVEICCXH5BbGBVPjMYtoj7dhHRtGC7yQrUpBnctdHRO35nE8T1tMC7e"
    "IdeCZaKrQagxCToXrnwyCc7Ak+IvCB0iy/Wp0L88Dy88C8+kwW+WQzDlSEyxYnhZhATxqe"
    "dy7mB068s4J73V1Typ/wYQPGzBnAR29C5ZVGBH76LWi9jRagovY0IvBZqynrcXQdwfFarF"
    "PcqpxT1KBbmCVdEIV8UySKcl+wd5Pf5KidBLk/ZgssSixiLUVGHMtgm1FSALGIUUXcr0PH"
    "TrmcIeE3aYHOIOI5Mjwhmae+49sbH3D8SkvXbzKOw0jB5c704YcUy0DNHDlFhTZJnCiKEM"
    "m47GMGzoJmAcgnEIZgIYh6D1FhiHi0m8FMUakekhwVr/0cxy6RPfx2oTcNE8qJRgL+DedF"
    "rUAkV9DYucU7UScr0Av+lgQgiaJ2ahstt8EoIQWEhCy03ul/IvVxIb8ysHc0xtiUUKymhD"
    "S0vccY5nc11t+cwDhKIinT46aLR38ObgaP/wYHli0PJK3kFB6Ro2VKxmRghLBWNSI95Di7"
    "K7FmTacZBV8A3sea7GiMw2beJSUPe0vFkTPV275FqrEYXVNj+M7yZOPX9iOD95iHo3IV4b"
    "1te8aG0K739iin9Mcbjq+jCPuPVFD9hiC0QoEKGdosSACN1FrXchSt6ibbaNBMnnJmMPrl"
    "iwy5bMSgn2kIYbvX5dAHHRKxNx1RZHfCJuXPoclphQH5EutMt5lLPLeZTe5aymAuMee0QM"
    "WmXh0A4Atazas1ykrQQoQN7cPusEzssDI017VmVre1oedrh3eId7Oye1/K3IYZWxp0LUy4"
    "psCaAoN7ZTDqCL7xVUAygMlatOopIRUfxErFRW5LUcqLdYUWxIEzMzZaUUXBSPxVjLavl9"
    "AaxJYjpyPrmGno6fXp5NUqsTqY3VeenAVQNXDVx1V1hL4Kp3UetFuGqoWths1UL2yDieGX"
    "PPnc01H1ZOvm5SsBeIbzqxRXwpYtKhmmNms5GPykC5yGI4z6fSzqe+9PxKRWQScrUkb7Uo"
    "/lUo/JUT/UoHv5QhXgbipUAvJpA4vAdF4D3IhvcgBa9j0ltfuDllEI7K9BDk+pOjIeCxmY"
    "CHVKNlOo5h+16QN8eweBC7TFZ67hibS1PfO3qVylRfXGtHsjrk0EIObduIxWH9ObQRmshn"
    "3J2tTil/YkBKUounash34Yg9UkRspoBzeDfPgh9jj1jTgYYBD1uGeey3uerTGt47c8XWLi"
    "CapTmcINqbSVjLAp1Nc99jr2xF0IhIDw39RlIH5UdVAuGwew/RbYReFHfkYewujvCP15cX"
    "GTGalUiSqicWR38hh7DGzPjtmJkSjHzKK8luJexROcDJtktHffs/SNi6zg=="
)
