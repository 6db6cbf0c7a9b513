from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "sign_in_attempts" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "client_address" VARCHAR(64) NOT NULL,
    "failed" BOOL NOT NULL DEFAULT False
);
CREATE INDEX IF NOT EXISTS "idx_sign_in_att_email_f956e8" ON "sign_in_attempts" ("email");
CREATE INDEX IF NOT EXISTS "idx_sign_in_att_client__9b7c5d" ON "sign_in_attempts" ("client_address");
COMMENT ON TABLE "sign_in_attempts" IS 'A sign-in attempt, written before its password is checked.';
        ALTER TABLE "email_outbox" ADD "sealed_values" TEXT;
        ALTER TABLE "email_outbox" ADD "secret_ref" VARCHAR(80);
        ALTER TABLE "email_outbox" ADD "secret_expires_at" TIMESTAMPTZ;
        ALTER TABLE "email_outbox" ADD "to_compose" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "oauth_states" ADD "browser_binding_hash" VARCHAR(64);
        ALTER TABLE "organizations" ADD "created_by_id" UUID;
        ALTER TABLE "refresh_tokens" ADD "successor_sealed" TEXT;
        DROP TABLE IF EXISTS "sign_in_failures";
        CREATE INDEX IF NOT EXISTS "idx_email_outbo_secret__229d87" ON "email_outbox" ("secret_ref");
        CREATE INDEX IF NOT EXISTS "idx_email_outbo_to_addr_75fb29" ON "email_outbox" ("to_address");
        ALTER TABLE "organizations" ADD CONSTRAINT "fk_organiza_users_5b8e57eb" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE SET NULL;
        -- Mails written before this version hold their single-use links in clear: blank
        -- them; one not yet sent is discarded (its owner asks for a new link).
        UPDATE "email_outbox" SET
            "text_body" = '',
            "html_body" = '',
            "last_error" = CASE WHEN "status" = 'pending'
                THEN 'discarded by the upgrade that stopped keeping links in clear'
                ELSE "last_error" END,
            "status" = CASE WHEN "status" = 'pending' THEN 'discarded' ELSE "status" END
        WHERE "template" IN ('email_verification', 'password_reset', 'invitation');"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "organizations" DROP CONSTRAINT IF EXISTS "fk_organiza_users_5b8e57eb";
        DROP INDEX IF EXISTS "idx_email_outbo_to_addr_75fb29";
        DROP INDEX IF EXISTS "idx_email_outbo_secret__229d87";
        ALTER TABLE "oauth_states" DROP COLUMN "browser_binding_hash";
        ALTER TABLE "email_outbox" DROP COLUMN "sealed_values";
        ALTER TABLE "email_outbox" DROP COLUMN "secret_ref";
        ALTER TABLE "email_outbox" DROP COLUMN "secret_expires_at";
        ALTER TABLE "email_outbox" DROP COLUMN "to_compose";
        ALTER TABLE "organizations" DROP COLUMN "created_by_id";
        ALTER TABLE "refresh_tokens" DROP COLUMN "successor_sealed";
        DROP TABLE IF EXISTS "sign_in_attempts";"""


MODELS_STATE = (
    "eJztXX9z2zbS/ioc/XPJjJrakhO7vXfeGdt1er46ccZW+nau6bAUCUl4TREqQdrx9frdDw"
    "BJiT9AiqRImYR25i61SSxIPwsCu88uFn8OlsRCNn1zPkeOd+lTjyzf+47pYeIMvtf+HDjG"
    "ErEfipoNtYGxWm0a8QueMbWFnMEFdFNI6LNQRDQxptRzDdNjrWaGTRG7ZCFqungVPnxwrg"
    "VyWiSnIYf3a2nsR4P9j/f9hvdlEZN1hp15NTHfwX/4SPfIHHkL5DLhX38N3pjfjcQHv/3G"
    "fsOOhb4iytvwX1cP+gwj20qAhC0hx6/r3vNKXPv8+fqH96Ilf8+pbhLbXzqb1qtnb0GcdX"
    "Pfx9YbLsPvsTdBruEhK4aR49t2CG50Kfgz2AXP9dH6Va3NBQvNDN/mSA/+Zw2KeBL/5+R/"
    "w1eLNdP1j7cT/f5qouuDjGL4K6RADy+ZTLdMqdjxOFB//hX0uwFEXB3wB1z+4/zu1fjdaw"
    "EBod7cFTcFXIO/hKDhGYGoAH2DsukijolueFm0f2B3PLxEcsSTkinkrVD0TfRDHQ1EFzYq"
    "2IztCNwIvhYAH7A/0Lp17OdQ9wUKmFx/uLqfnH/4xB+3pPQPW+B3Prnid0bi6nPq6qtAX4"
    "R9tsHXve5E+7/ryT80/qv2r9uPV2mtrttN/jXg72T4HtEd8qQbVmyYRlcj1FjLjdb9lVVT"
    "60lJ0HpXtB5hFFN7+PYbrQfLR7V5NS7T5Oz6wlreZTLdABpN/xUxTYkBrClYiTs3HPxvow"
    "a0ElGAl8HLrazZg9QCiEOWhfo9cRGeOz+hZwH4NXsfwzGRBNjQqL1NdddPiDdXNyuqazyt"
    "zVTZQGM/MASQJ9C4PL+/PP/hapCdgBvA+GeCTXQedaYowvGVZzu0s5gDtSO6WY9MUYRT65"
    "AcZD5zTA3z4clwLT0xhfA7ZERSV9Zts7eWo2X6iuEwNVvhX8LfO+4aTwixB3l+s7g53O4t"
    "e6xdaReZN5Y5uEPtCXsLDXtUY6jO8Nx3xZfPGlgaRQZvThHziDwqc6Gb6rbYxeZPAfca3O"
    "uezFI9dbTAvT5ErZdxr4MpPKvxf97ffsz5xtcSaU1j09P+o9mYtmbhxWbXqY9tDzv0DX/s"
    "S0ywHKGEkj/+fH4nZt0P57+kFPrx8ub2Iq093sFFyoukyKHYw49Iz1PMBH315IqRyaZUxP"
    "60EqoJZ4uufH1FX9vVL5NiHaw/tpvbjz9GzdOKSeuAGy/hyqhTJJkP878OqXA3PhT+PGU+"
    "FN+hzOw3+bKTiCmV1VOePKiqcVVhqoduRFZBF8z8R4aTY78nBFOamYauVBsqiaz6OPhrS7"
    "9pzC9ub28SmF9cpyepzx8uru5eHQsFsEY48HavP07SHCRb6Re6YZrEl1E2lwvDzWEg04Iq"
    "rBvMUf+q28iZewv263h0VKCEaJizVulhHt4aBfdkgLPnOsFUUt12lvfQgA3dMWX012TOek"
    "qBztDXFWad1tZ5Uh403mWNOwgxa85F4XdacR2TSO9xMVtfietYTiZ2bDlbI8awM6iMJs9f"
    "0WSy6i1qo6MyixprlbuoiXtJ2CHiDqHhPsHLQwgVYY2JAJwQaYdIe/8QrhZp90IDa0dkP9"
    "mGNyPuctKivdYBbGPTY9X4etpLYoh6SMLMXYTS73+6Q/Z6NsiZM85ZT/e8I4Uw/6vVTIQV"
    "ZoN6IEtDCO4MC3MQVlh/QM/lEhDygZAE/iHOD3H+Xny1PY34Qpz/ELVeJs4v/pvRdz5/Er"
    "WvxZl0Tq8J0uS4FGlyXECaHGdJk5WLZvhrFYQ3Es1gvH3N2h/C78oAnP4aYvi+S8PLzBF9"
    "YdBFFYDjMgoO43cnJUB+d5ILMr+VBNk2qKf7tNbakJaFeEZ3FoOsDeCiR/JQS89JSdByl7"
    "UcWenT54r0aEZwB9+qP/oFRr8r8LrERhVhjYkAnMDod4TR56OyAYjvwm4UhTb27SYgvWMr"
    "4N315WSQs6o1gOxninqYBFAW2Mw6noCXvYX28fPNzYttl+OsPqI0r9BM7PawkK4WcYagZc"
    "lNc7cO0igbKMj6BjuahR6xiRiEC8QElth+1shMc4nHPnZnrjE/nc2tC81jhq9DtSlaMLVr"
    "WFJ3ppluvzhfnHPTZH9QdM80XPdZ9BP+mRq2hholmrDGeWfxe6/4K3xDfE8jrmZ8cVzE/b"
    "Lk815ryLGo2MRnJB5lMCn2xeTt3AMCHwj8Xqw9PaVygcA/RK2XIfCBsjkEyibSVZ2E17Sk"
    "eumuJ2UCNyf5cZuTTNjGtDFPI2IaYkqUpKnk452VVA/v5kMMzBJ19Zw8t3ysk1Lq4TwuFZ"
    "EcF0Qkx9mIpACtmh0eEwESrZhE80PiYD/8Q0ch3UpAxAZU/UTC0HHVAw81C3qVVMK7oK8J"
    "70oh3FtNJrw0bGlFI3F9WMTMmKwFZBECCQEkRK/cUSAhDlHrZUgIC7sop2JhvvWeEFIwEe"
    "ushO1+lmu5n6Xt9plLlrrjL6cyAzMf5ZSYgjiPR6UKOBTUb0hDzQd6ZaATQgBzCZj5HiC/"
    "ErmykWgLYJWSYxH7q+pQhmk59YiV5gks7wnbmOjcs9GpzMEomDiyoo0g3qHE7xZykvEjes"
    "Ce7hKyrAJ2Wk41pI9HZcwO1ip/HhllTA/qGCu6INUK3sVkulE8TamCkIZDn5Bby9FKiULg"
    "rzuOVdafDtbi6kqOy4GGu6xhK6yTrlNemsiS2MPXTk5lV5loStm4VLGHjqmXvS77zzej45"
    "PTk7Pxu5Mz1kS85/rKacEIyBaMEpuQ0COPy1L0RwWAs4K14K21hB2lwT3qDqAvWAqqY0NV"
    "sX0jyqDb2X0O3URYocJFPQU4t25RmXT8mL3IF6sdg+E8gHv1qFaZqKQ9gKw5cnX2F7p41y"
    "JEl8yTwt6N6PGKdfiszhBtPXsgGGQ5KQTrEVicR6BvRnyz2QS/iu55v9z0g6OIILmgHzNg"
    "T8PMkFxwiFovk1xQzWXfu5/eIx5EoJGBsiAyFbZXMJrd/JYBYpq+W4+RT4kqOD31dzqSEL"
    "bMKKkSCYvaQxSs8SiYcAAq1rDZiMBeBqAhW0a3gIaMvMsdubEo276fA3Z7qYrN57qdbwRm"
    "t01m92WqgWT5NRlfJCPhCngj0VwPaMBSzNHgfLVCjvUNYR7WG22yQNrUsPno0dAfPpMICm"
    "34S17J43djyY9L+10jj8jlx2PHEf4b1ULaUXK2djvPgJ0yHVgIhkBmHRCtAWTWIWq9DJkV"
    "zNuSkBOe51JaGxmVWK3vRqPx+HR0NH539vbk9PTt2dGa3sreKuK5Lq5/5FRXQqNZ7uuB/b"
    "VVuK+ovYLcV/M7DeqUJdlpd0G3AW6lboOLZshFocNSHuaYkHL15Fs55jA0unVj5sk2gBVN"
    "1BlRmK9rz9fAsuYq5GBY1m4yKjuSrFB9vS1kO0Nfd20GVzCNtqMQt5NHu99QQTfnhtqRgk"
    "3+LFQLV7Ba+KVPPbJ8H1pgA1lwINliWBgZEG31yKArWTb8PMO/kydH+8dk8klbm4avnha8"
    "hjZn4LVVeFwsr+Bt21rw0HVT+loSGmjjCdKk1/S0LsCE7FcIGPRjHe4pdQwBg0PUepmAAR"
    "zQ2WIVkfhrZTCeoK95+66TYkpAXfTJXP0yKSaV1l/Mze3HH6PmaaYpdTCq4bKfPORK9l/l"
    "s3xJKeD6Guf6GLgLUilQtpFQ4jtotYaf79q6h5bcOq80qaflFER6dFQ2mFMYzcmEcxbMMq"
    "g4ycREYIZpfIahyLCZLUoR80U8PVc9+atvbgcq1Knb9zKcQFHnVyt9Kjni3fhs+POU+Wy4"
    "Z0Z8L79K0HubGDlfjEQ2paEZF25LN8dHbzLFbKJrjYP/w+3ni5sr7dPd1eX1/XWoiLVDJ2"
    "7yS+wCjk6TPL9JYY2pbrCx9ChZoy8IsZHh5PBZcbkUwlMm2BbAEckVB3hNfDUN8MXt7U1i"
    "dF9cp+eZzx8uru5eHb9OAp2N8UPADgJ2XY9+NLA9IlUQZ8eCI6IOTjamoQj8rdYcuVoa2L"
    "71vSn5OpAEiuK3h0VRIsQb6mTTEo4xgVgLxFp6wrpDrOUQtV4m1sLu1DjxMSml3sEE41Gp"
    "bPZRQTb7KEPL1WFBFWdAmw9vUX/6/8isdKRmTERBiFvZmOGhr54+JZYkkyyfxEwIKYH0vp"
    "nLhbe0K8OeEALYa8DOVjuTLNnCW5UcSwrukR1bX4mjX9VPexF+LIx0PBq2L6Plt4ZINoIQ"
    "GqkdGnHRrNICmpBqCfeXMwbPyiygZ/nr51lm+QwBQ19XmNnQNTwuaQdw5kV3/Kyse92Lk9"
    "8GvBoL10hGofEb3dyQbXjcWZJRzflVBmIicMoFv+JwGz2Epca8JBHfDx20z9VBpVkpOO3F"
    "dYlk23e+rZWUAkOrRiqoSx4xzx9ZIkqNOZKGgvOXhhxxFTSRWiZKsRfHBezFcZa9oPzYiT"
    "pGl9PgpNYx2FWa1EzbYDqwdN/xsGQT6ZYQVloYdN01XWcSPl5mG+a184g9I28LZuzusCiw"
    "jtftWjjQA+LqEFfvBaXb0wgrxNUPUetl4uoiX6qKSb8WUCJEs49wOnlAjr4w6KIKzEkp5c"
    "rDNR9Qr09SN85Od22Q93e6yq5ShmmiVb1lKiUK/lKX9eyiRzYD1lFzUhK03GUtC6eyTsG9"
    "jCAU3IP9O3uE1yW2nAvPhzUmAnDCdqgX3A6VHsgNQHwXdqMotLFvNwHpHVsB764vJ4OcVa"
    "0BZNUuYJhZxztVwPADWk6RSxd4NZAw57G7wyLmfLlu18pR2H44QBKTJlQFBEa9H1NwT7lV"
    "YNQPUetlGHXwvMDz6g+c3HqoCGdMBOAsdmQj22w/PkBHId3qBMQGVNcPku0rxMANvCA38D"
    "LO6+257y3uPUO8TcZ5jd0dFjmvhJk6C51v8UBlK+5rrLXL1KyJZ2gzmzx9HxyQy+C20Tfs"
    "c9ccwg/PxQ7FFgrvzR0m8rt40u+SKvtN9QrZZx1YMofgKx+Q1wS+8iFqvYyvLCbsyrlRSS"
    "nIjRJ/d1FulMnWdf0RuZj1KPFH8pHOCCqY9Hc8KlNJnLXK37ozylQTn7rkiXs1Uyy2o1Ye"
    "4nny6u2cgkzAbpAcHV86JBYDrWcuUMgN64V+RUFW5qeRqgfcZgSBpQTSd4+k72b8NUCeiZ"
    "LCkxZLMHWAQct8sNupSSDWGyHWX4iZdNCELa8TvsVlIOMm4/eHheykg3S+Uutiu0xJgvJ+"
    "TRgONWHxsd+1oAONb25CFvtNM7QVcilxvtfEjict8IJMwaAPtZVB6RNxLY3NCsjL0pUtPQ"
    "PIyw5M/UMgLw+IxgLy8hC1Xoa8XPmuvNZmQT2cjYiCTNp4VGr3bMHmWdg7C4xZt0Z4f+cr"
    "YMwOUL9A62xRKuTyHSblEE/zk1EOqTTAAsoh1hIqYYE7D+58rxw7cOcPUeulcpGMZSVfPm"
    "qvoCM/Knvee9Fx75lqtrY/r4Jv1B78963+e/y1Mgjnl8dOie1vIA+yVkBLLlwbNbGf0JTi"
    "asejxUT6ivIeTuua+hQ7iFL2xp6B7Uqn3ctku3HUPX+sMkfdw/HrBYg3eLwUcx8s7OlTw4"
    "7YhBTYeJ57WkhWttdnhnw3Go3Hp6Oj8buztyenp2/PjtaHh2RvFZ0icnH9Iwc6oRDJwV7s"
    "pVZIN8Up3jl8WtFZODLpRrJ2O2TBtHLaQThedcNGrhfsOKuCfI74Hpdb8pCd5cNr3TyJKO"
    "IoKlffywhC9b1C6niD1/4I5G7iupU/zgytygWh0omYwVysR4aZxKq8CPt5/9Mdso0cdyie"
    "j3kpunwf9thDdz9PGzkJ2E1gplgOaxKpFdYf0POuMK0wmwVUxcg07F3H0SXrQp2ZL4OOjh"
    "6RIzsXsCpGV7wfRYGykTWXxWErYSQcpBvR05Xjuep+c40ufYex6qXOOaoPV/JgJRWhShW2"
    "rA9VspKmilAFKYm8NL3ZxNgSWyPu1r2pipqwQHeE6meCTSQsUJVQqpQrEyO3/GlBpCiCle"
    "+/Ieyf7eDep/pTxOComFz0yTakSUXi+rAomWjFWkASESQRQRJRr9JJIInoELVeJonoAUko"
    "3vygRdgcUlxSsYpsigtkZ7UbfVsSx1vYz/rKZeaybsrt7tyQc470/uLObYIfhKFHxyenJ2"
    "fjdyfr6PP6SlHQWRLa910XOWaleSIus8eIpk+jV5FcbCSNqEwSUX4KkSSgaWGP6ivk8v9j"
    "IrFvt6RNpIVhCOdmpwRQLbHjyyL1pXDeCAPOEpyn2LZ59TfsMNCWIYVROiFCJrzHyWOj2y"
    "TUsetNTCFlivfll+7LFO4LE3iChaxW7k9cFBJ/SpgekFPYXk5hJimlTN5EnCXckX1VmCBs"
    "a6viJ4bpjLhLkTAhZxU394db2EXRcpPDUaZ6O2+smbZBqYYdzSQu+lbIf4uXK1ssJEEEY6"
    "gZVGPNPI0+OyaytFe/P3KuPSDtRTdU3Pr9tayce1uPAToU6FAgxoAOBa13gA59WdauQ4Zz"
    "C3v+MGXr+7NeFeK0HBCk5byUvu2xfJkc+VY2XIZpbDU1IJdWoZD+vvUgjoISiFWYbxJCSg"
    "z/trflCMTYM2dYsl8+fwdsSgw2vxaP/xqbXwNwdWou0NKoopqMICinceVQxNxDT6+tozx5"
    "UFXjqhKV3tdJ6TV0ldtBN5TFn6eMsoCd38+Of47Xo4GDv7061HFRQHsr2gGXXIONSghCOd"
    "TucE8B5Vgr3gUbXV8q1nWHZkzhi9yTQBL3h0WxLjdoWeUgEEiphxgSRBM6MqNDDOkQtV4m"
    "hgRnQOwlngRnQChrFMfV7BKv5hyalATXp8tapr5pIkqJq1Nk2Ehik+bHy2SyEC2rHi2jDE"
    "T2ihVLqyWl4EyO4sJqIVpZgKufs+p7i/tNb/0Ed2t1teTo6tIBHXdEAJtlAEjAaRZ4/qwF"
    "OPzg8IPD3yvXDxz+Q9R6GYcf9tDDHnpIEd3HFs2sDdAj/wpTPcy4kATttoTLY4J7DJavr8"
    "Qhr2qqdnvrIFTClQdRocIkVJhsF6oVcpdYePc7QsU97k/rzlSCq23+IoZaDpORxLWY09BT"
    "Gm2W3vhVPEOMgs07/QakB5AevfjGe+r+AulxiFovQ3qsEitDWQ89KaWgn948CSKW1mrrV0"
    "wEAnLFAbnIqNgxGhdFffoJ6dYwXGxAdSkGd890dO2cex5arjyZCZtsUGjBUtZUxw5bi0Tj"
    "0tVnuNw32NFCuaH25GL2o6NN0YyNIg17VFsZlD4R19Iw1cwFMh+QJaswU7erL84X59rTTO"
    "LzAjPGnCmSehoznDUbL7nQK1GthiL3EZuIfhv9qd7CJZ5nozer59fa0wLb/BG8Y/YOMxvP"
    "F55mONYXh7Chz+/MDNbE+rtmaC6a+RRZ0Zv+jWoueeKSwdCwhlyQtQtTM8LLVPwF5MkRd9"
    "nPXxy23rBPlbIOgs414iAKZXG6MnGCsX9IZh8Y+4eo9TLGPlqy2bmKnb8WaMvEf7kw53hU"
    "6iTxUcFJ4qNMJM60Md/SFS6HVZDOSqoHefNOVWBtVIzDbYQgBrd7DK5Vx0BUtg2OFZS5Bb"
    "HbxU5BUCF3c85hGY8g6F0TQtrKJdwCFpatyZq7iNniFvuV2djcQme9OdQITEFvYcQFsCdz"
    "EhruHcxsMLPB4AIzG7TeBTObT+oVi7jHZZRLKWwl6y2q7VZ6Z+azurXg2sA3NJrC5UdiY+"
    "N57lkbWVmVztn4bjQaj09HR+N3Z29PTk/fnh2tD9zI3io6eePi+kdubyd0kq0ZQ3zPJNUy"
    "aGMiCg738aiU517guL/ukI8TP6lA5uSkTjIo8HLSxyfAxiTwJ8Cf6ItlCf7EIWq9jD8RWl"
    "Px+b3eEVGSHuCkqFKmsOH5lej8jcQet9U4xJGce7a+2h3TK3sspRcefagz4NzqS1pOH1As"
    "pDuzWnYxS2kNOZIprZLewx5A653WOs/As5kdUqj3wgBeXhcQzitTgZZXUwpCYXW5HWkH+y"
    "N4jtK4H+2wur0IoxOHsKohl5bs67bdPZhtK9twdhnpcnkY6OUHegzBauM8IwjDvHiYV2Pd"
    "YiI7UG/9sZK2Em0xtt2dGw7+t5HrZeejKhHdL7HZSXALdm3wYZgFuPKujU9hN70crls3bc"
    "S+1cSmDfZ87ePnm5tquzbkAz2rhFsHTQj7p6QKblOd9XFsb9WE5PsusY1mp+iQqEB/hx6J"
    "aeQFiNJNhkUxoqA8sbtuXTYbztFueaVCbe4ajqd5RONdPCDN8ILtLC55xBZy/65Rns82fR"
    "Zpa0/EfUCuRtmdId+YYi405rppvsMLfEqS4lp6CMSyOrAKDCGWdUBRDYhlHaLWy8Syokm8"
    "kjMYk4F0lhIxlaCAduxMmiTSBTW404JKwF30+bRTgTtAUX6kWgG5l5JTAvy2twCFoLlsFq"
    "pa8TwlCDUWehD2zhrAK+RYHIsMlPEbHT1xOVakIAlxLicdF+k1Ez06Pjk9ORu/O1kT0Osr"
    "RbxzlmN22GoWlXuoYUxKxBW0KPtrQWYdB9ugno5cl0iMyHzTJikFB4tUN2u6y4x3VxH1uf"
    "FierYyR74rQdsNiFuiaPeW7P+ZCv4xw+GK68Mi4tZnLSCpH4hQIEJ7RYkBEXqIWi9DhL50"
    "LZ4O5ey3UoonqrBX+QTXjKCCNNzo7dsSiLNWuYiLe6liPOzBetWzXhJCKiJdKuNrVJDxNc"
    "pmfImpQH9ELmad1lk4pB1A3nx3louslYCpzisAPUq+rm2nzmzk9pghHy0ncbWul5gO58cz"
    "vFa24c2Iu2TqWdY55ScrDzsTenzYTzcnteJTWcIDV3eFSMnDaZNkMrLmyNWRw/pCO8J16S"
    "ILezeixyvWobqDi6flv8hpUn2ECw6TKg0VYSbQQhebnHbESmSS3vOOlMXKQTo3y3PTfCrB"
    "5aAJ60vkEqsKWMSRxmMEu8JWLarSl9mrzRDIzwSb6HyeU9I1dndYFA555O10Y166oCtERS"
    "AqAvx4RwgPiIocotbLREXgqPCWKxk9Uw8t9ZVLwpOUSmeGpwWVQHzfKVTsS2GTTpCTWhb5"
    "uExfd8HvG+fVgntHjs/95Uqxv5ScatXRSgVaC+Ks2TCrMMSrQLwWUGICScJ7Ugbek3x4Tz"
    "Lw2oYz95mbUwXhuIyCIDefhg+htf2E1rgaTcO2dct3gwxNitiLWFX2PxT2sb8NEcdnR5k9"
    "EdG1bmyLEGfGzJCre6TK5JESUyFPPpVsVMqsHheY1eOsWQ2p8ZAa3zUWd9h8any8dif1yF"
    "KPyMVd48ycx70UXb4Pe1RIEclpmdkFTaA1adG+eGmM+Pq+ayieddG/lepFAjLnyMXmYiAJ"
    "xoR3hkWBGGPTpjMhmFzjUbq8SqzEcFh0N326EVsxP+LyiFwqXVsL3PqNiII+Zyv50vyjqo"
    "Bw2FxBdFthutkTvTCMnET4n/e3H3PChRuRdNQIm572H83GtI/HVhWAy8EoZl/TRGvKWucd"
    "XLz0aUp//ReV+XWp"
)
