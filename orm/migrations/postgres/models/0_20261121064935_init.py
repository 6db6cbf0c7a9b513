from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "email_outbox" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "to_address" VARCHAR(320) NOT NULL,
    "template" VARCHAR(64) NOT NULL,
    "subject" VARCHAR(300) NOT NULL,
    "text_body" TEXT NOT NULL,
    "html_body" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "attempts" INT NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "last_error" TEXT,
    "provider_message_id" VARCHAR(100),
    "sent_at" TIMESTAMPTZ,
    "claimed_until" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_email_outbo_status_9da17e" ON "email_outbox" ("status");
CREATE INDEX IF NOT EXISTS "idx_email_outbo_next_at_5c8a94" ON "email_outbox" ("next_attempt_at");
CREATE TABLE IF NOT EXISTS "organizations" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "slug" VARCHAR(64) NOT NULL UNIQUE,
    "description" TEXT NOT NULL DEFAULT '',
    "website" VARCHAR(300) NOT NULL DEFAULT '',
    "business_details" JSONB NOT NULL,
    "is_active" BOOL NOT NULL DEFAULT True,
    "credit_balance" BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS "roles" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(100) NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "is_builtin" BOOL NOT NULL DEFAULT False
);
CREATE TABLE IF NOT EXISTS "role_permissions" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "permission" VARCHAR(64) NOT NULL,
    "role_id" UUID NOT NULL REFERENCES "roles" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_role_permis_role_id_b2915b" UNIQUE ("role_id", "permission")
);
CREATE TABLE IF NOT EXISTS "sign_in_failures" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "client_address" VARCHAR(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_sign_in_fai_email_f00215" ON "sign_in_failures" ("email");
CREATE INDEX IF NOT EXISTS "idx_sign_in_fai_client__dad83b" ON "sign_in_failures" ("client_address");
COMMENT ON TABLE "sign_in_failures" IS 'A failed sign-in, counted per email and per client address to throttle guessing.';
CREATE TABLE IF NOT EXISTS "users" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "email" VARCHAR(320) NOT NULL UNIQUE,
    "password_hash" VARCHAR(255) NOT NULL,
    "full_name" VARCHAR(200) NOT NULL,
    "email_verified_at" TIMESTAMPTZ,
    "is_active" BOOL NOT NULL DEFAULT True,
    "is_platform_admin" BOOL NOT NULL DEFAULT False
);
CREATE TABLE IF NOT EXISTS "api_keys" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL UNIQUE,
    "key_hash" VARCHAR(64) NOT NULL,
    "last_used_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "created_by_id" UUID REFERENCES "users" ("id") ON DELETE SET NULL,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
    "role_id" UUID NOT NULL REFERENCES "roles" ("id") ON DELETE RESTRICT
);
CREATE TABLE IF NOT EXISTS "auth_sessions" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "revoked_at" TIMESTAMPTZ,
    "revoked_reason" VARCHAR(40),
    "client_address" VARCHAR(64),
    "user_agent" VARCHAR(300),
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "auth_sessions" IS 'One signed-in device: the family of rotating refresh tokens behind it.';
CREATE TABLE IF NOT EXISTS "invitations" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "accepted_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "invited_by_id" UUID REFERENCES "users" ("id") ON DELETE SET NULL,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
    "role_id" UUID NOT NULL REFERENCES "roles" ("id") ON DELETE RESTRICT
);
CREATE TABLE IF NOT EXISTS "memberships" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
    "role_id" UUID NOT NULL REFERENCES "roles" ("id") ON DELETE RESTRICT,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_memberships_user_id_1030f0" UNIQUE ("user_id", "organization_id")
);
CREATE TABLE IF NOT EXISTS "one_time_tokens" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "purpose" VARCHAR(32) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "used_at" TIMESTAMPTZ,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "one_time_tokens" IS 'Single-use, expiring tokens mailed to a person: email verification, password reset.';
CREATE TABLE IF NOT EXISTS "refresh_tokens" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "rotated_at" TIMESTAMPTZ,
    "session_id" UUID NOT NULL REFERENCES "auth_sessions" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "voice_agents" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "system_prompt" TEXT NOT NULL,
    "greeting" TEXT NOT NULL DEFAULT '',
    "phone_number" VARCHAR(20) UNIQUE,
    "voice" VARCHAR(40) NOT NULL,
    "language" VARCHAR(16) NOT NULL,
    "is_active" BOOL NOT NULL DEFAULT True,
    "max_call_duration_seconds" INT NOT NULL DEFAULT 1800,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXW1z2zYS/iscfUpmlIwtK7bb6dyMnDitL4nVsZVep02HA5GQhDMFsgToWJfLfy9AkR"
    "L4KlIWJZLaL4kFYPnyLAjsPlgsvnXmtokt9nrgkA940flR+9ahaI7FH7GartZBjrMulwUc"
    "jS2/KXKI/oAXfiEaM+4ig4vyCbIYFkUmZoZLHE5sKkqpZ1my0DZEQ0Kn6yKPkr89rHN7iv"
    "kMu6Liz79EMaEmfsIs/Ok86BOCLTPysMSU9/bLdb5w/LLPn2/evfdbytuNdcO2vDldt3YW"
    "fGbTVXPPI+ZrKSPrpphiF3FsKq8hnzJ447Bo+cSigLseXj2quS4w8QR5lgSj89PEo4bEQP"
    "PvJP/p/yt4NKWZrt8OR/r99UjXOyWwM2wqcSeUS6C+fV9edw2IX9qRN3j7y+Duxdn5Sx8C"
    "m/Gp61f6cHW++4KIo6WoD/oaZcPFEhMd8STa70QNJ3OcjnhUMoa8GYi+Dv/YRgNhwVoF6+"
    "4XghvCVwHgHfGC5pBai0D3OQoY3Xy6vh8NPv0qbzdn7G/Lx28wupY1Pb90ESt9sdSXLb6s"
    "5Se3uoj2n5vRL5r8qf0xvL2Oa3XVbvRHRz4T8ritU/urjkylm4alIWqi5VrrnmNuqfWoJG"
    "i9LloPMVLUHjz9Wuv+/wl9v50hN13XYfuYlgVaTdTrHD3pFqZTPhM/T09OchT72+DOH1JF"
    "q5i2boOq3rLuewRfx8UT8lQG4bXEbjDePGftD+HzIgDHvwYF3/M4vMIc0WeIzcoArMq0sB"
    "uf9wuAfN7PBFlWRUG2EOO6x7aaG+KyO5gdgv5bF/SbOxkkbQAXP9oPW+k5KglarrOWQyt9"
    "vNDLOVQJwWf4Vs3R70ZPao2s7U4RJf9D8u4lsU0R3aXn2gp4XdvCJWFVRABOAaekViYPqW"
    "6/2gOTEL+3XUym9ANe+EDfiOdB1EjzBQJGaRi7XDMhXpeuxywXfV1xU2nfrfhDIID50g4d"
    "3L8dvLvuJDryDiC+Cy7TUmiVbzcC6Z2YAe9u3o46GbPaDpD9zHART6Cek9hGYBPzeARe8R"
    "Ta7eePHzv+YDFGxsNX5Jp6ZNSQNXbPjpWs2iar5r15vARRNPUxki8jHz2koj0+u8eMLV8+"
    "yVQr1d1culo01NmyZTHOujOkWGOio2DzFaGaiR+JgQWEMywE5sRaaPZEc20uPnY61YSfLs"
    "bWmcaF4UuZNsYzoXaN8NedmLJ2dNkv9AsdGIZ4obDOQK678K8TvKZGzK7GbM23xuXF1LoX"
    "8hFe2R7XbFdDX6iLpV8Wvd9LDVOTibsxDUVuhYSU+GL8dwMCvwYTeRcI/COicoHAP0atFy"
    "HwgbI5Bsom1JXoxyzNO8tmu5OSW3HeNdNtlPLuF1m46Wev2/QTyzaGRTDlUkNCiawM3knJ"
    "9uG9+yUGYYm6unAHaMoolo11VKp9OJ8VWpE8y1mRPEuuSPqglbPDFREg0fJJNC8gDvbDP9"
    "QU0o0EhNKh0smybOZBnRN9x1VfeqhJ0K8C+fcf7rC1oiEzmLTltUbyUi3C/XuVPM31HBFr"
    "6PGx/dRJ4WnU6m4eT4NlQ91et4TQQmAmgJloiPsCzMQxar0IMyFqtvCfolItjM866xUy6n"
    "s5Rn0vYdRzPHeEjVMqlFOVaSHOu3dSmTf+LzZKeaiKSAshrsQ/5fiJ62PbTFnGHYmqrL6s"
    "CLUC6byJ4Pr3UWQOCPF88Wnw+8vIPPBxePtz2FzB/+3H4VUM9hmfW6VhjwgB7FvAzjjiXq"
    "kJci1RFeBJz8PB1JSoJUBXK+oZIY64nOd4CsQ3NKNXqyIxjMmSaqyiU5/EwT15BqhTeddX"
    "vdP+Rf/y7Lx/KZr4T7YqucjB+eZ2FAORyuE1gGULKz5FfD+m/D63OjTXck86bH7UPnZdO4"
    "XLzJ4NolJtoOP3PRs4rv1ITOzqc+H/oGl6sGve1qFU8TZoYg9btZi/bld6cFPEYA29zoOa"
    "YSGhA1P3KCdWafoxLgy6rpuuE6tyhwlfvaGPhCOeEb2q1HbzFkXIqh2kW4A1EVgTaRQ7Dm"
    "six6j1Imsi/lp3GZN+JdAKdm0fKyEyhKN0ToCoVOsSL+x+LQQ/OUR8FlsMX1HJFg5fzR2u"
    "krOU3ATkbDdNxUTBX6qznmEXwTFo2Xcqt0n8kBCExA+Q+GGP8ELiB0j8sGeIIfFDUxI/rC"
    "enHSDb7sQPiXm8VokfPuH5GLtsRpxOCnOu1HbzmPP5ql0FzPmfqw0+kUHzL2DUgVFvxBDc"
    "UG4VGPVj1HoRRh08L/C8mgMnbL6GzdeHdgI2br7OGl6BGwBu4ODQbuYGDuO8DikeCeNwmU"
    "EgxX2N1HfzHFibCp9TNFUSG2zOXHgvsLXwK0/W+Susfva/Ze4+GUKATfFLQ5ojXGOb/qj5"
    "cQXaI3bJhBh+P+1qDmLsq+3KlIAMp6QxrOgeEKBWg1m1C+70ETlW4E4fo9aLuNOO54orlt"
    "pHroi0MkitUIxaTogaRKhBhFq9enhzx6uUaWq7c4ngSKLm6BcYsw1KBcastukKK6UcVDIt"
    "jXKIkW05lIPSEvabgTsP7nyjHDtw549R60XceTjed+Vh9grljOjl5IzopeSMsLxpGXzD9u"
    "C/b/Tf1cdKIJydhCYmtr+O3ElaARW5cFVknvmKx4yUyx+piDQV5T2kMxx7jFDMmHhijoiV"
    "kofs3/fD23SE02Tj8y8xuPZ/zSKsssRkis079ojFCWWv5W0PYfZKrPL7frybx+ZUeYF43y"
    "dMF64OeUzp/Ve2bWFEMxwQVS6ml7EQrEoh4SivQr8a+XeN+NVw+DGC+NVNfDj5/Onq+u7F"
    "qQ+/aESWznEyi5xwH0zC9TGyQjYhBjaZZubkS8o2OjPfD73e2dlF7+Ts/PJN/+LizeXJKk"
    "VfsiovV9/Vzc8S6IhClsiXSIej7Pd1iP6AF888TWHgkA940UCLMYsQSu43WVMl28MUzQXU"
    "RqhiezG2hyq6+aONUPnHGD0Tpd9sYuBBeB5SW1CqkkKNnPuSQqHGz4XJplCTp9EAhwocKn"
    "CoTWHTgEM9Rq0X4VAhXgfidWphGjXwY0qOof4599tlGopIQtROnbXMMGPlN2RGpSB2Jz92"
    "J0ArCXDp8J2Bx2f366s1E9yNUTzR3lWnQB5/y1aa9xls5crxOkULcDbB2QRns1FuBzibx6"
    "j1Is7mA07JYpXtZQbNwb3c6F5CJFS1p+dAuM4+w3UI04NYjJQVow0xC4rgHoMWViUq5GVN"
    "1b2FLcDiOSyeHxoqWDwvDJWD3TnxvftnQiU97l9XF2sTXFXzFwpqGUxGFNd8TkOPaXTXWT"
    "zDXDvr20AOTyA9GvKNN9T9BdLjGLVehPRwIjNDUQ89KtVCP333JAhk86xyQQ4S+BVZhstK"
    "4HfgNbh7oaMb+h4Ry3NTF+OiDXItWCaa6oTqk2Xjgin8BtpkmURPir8itKsZtkeF/mVCvS"
    "CZHqLLX4ZFMOWaGGLF5ZlMu8dnrs25hbWpJ9c56TSZv6+KG8DiYQ3GJLCjj8miAjv6GLVe"
    "xI6u3+myh1tBrORw2eWsqAezYhmkk5Ltg3w3/kqJpZcq7UE/pVWKGRimusq2/mS2KIjJAr"
    "MKzKpGTbBgVh2j1ptgVtUoLqsSqyo8E6D0HquEYAtJ4N6bNwUQF62y01bJuijiE3FjvWxE"
    "XESojUhXkSDMHwr05RkYW00cqReAzU/1mS6SVgLkE6ouMC+Gs2MhPrHduVDPfJtYyKQ8hE"
    "Q2OCSynoNafuxasC3tuRC1cgtfDCjK9cPEjzaxX0H4aGGoUk5c2x6u+EFvbQGsSrJVSVyV"
    "QrlG01plE6+Psp2+TqQF/Cvwr8C/NoWJA/71GLVehH+FrZvVbt1kC8bxXHdce+6kfFjZmz"
    "cTgq1AfN97OcWXIgYdmnKOQDbyqgzsmS2GszOTdj71pDdTapUhJrcV3nEPskZrOoWWdHJW"
    "dJILOr4hXgbilUArBpAovP0i8Paz4e0n4LUQnXrCzSmDsCrTQpBPz4tMi3EbRpkVz+MgA4"
    "m/HxJfqtFAlqWbnuszKzrD4kHMFBYm83CA3Gvs75yA08uTxFEBYdmzTgvonfYv+pdn5/3V"
    "IQGrkryzAZJgq+f8ldwHlCIK+4Hy9wPZsfMXn7kvKH6cYzMh3rg/KKWj1Wmf0AC7xJh1Um"
    "jKoKabR1GidZvakJOZw2rqV54yfgZarG8I005G0Wwu8hG7ZfeuKiIttMYqiVmSH1UJhIPm"
    "LUS3Eg5I3JEHCyxRhLNPJ1NE9n8o2WFsgZ0dP3bQTQ7f/wFbDwqi"
)
