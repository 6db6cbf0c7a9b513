from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "phone_numbers" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "e164" VARCHAR(20) NOT NULL UNIQUE,
    "provider" VARCHAR(16) NOT NULL DEFAULT 'twilio',
    "provider_sid" VARCHAR(64) UNIQUE,
    "voice_capable" BOOL NOT NULL DEFAULT True,
    "sms_capable" BOOL NOT NULL DEFAULT False,
    "status" VARCHAR(16) NOT NULL DEFAULT 'active',
    "friendly_name" VARCHAR(64) NOT NULL DEFAULT '',
    "released_at" TIMESTAMPTZ,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE
);
        ALTER TABLE "voice_agents" ADD "phone_number_id" UUID UNIQUE;
        -- Numbers typed on agents become numbers their organizations hold, assigned to the
        -- same agents. A number on agents of two organizations goes to the oldest agent's
        -- organization; the others lose it. Each row takes its agent's id (one row per
        -- agent, and no UUID function is needed). No Twilio SID yet: importing the number
        -- (phoneNumberImport) links it and sets its webhooks.
        INSERT INTO "phone_numbers"
            ("id", "created_at", "updated_at", "organization_id", "e164", "friendly_name")
        SELECT a."id", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, a."organization_id",
               a."phone_number", a."phone_number"
        FROM "voice_agents" a
        WHERE a."phone_number" IS NOT NULL
          AND NOT EXISTS (
              SELECT 1 FROM "voice_agents" older
              WHERE older."phone_number" = a."phone_number"
                AND (older."created_at" < a."created_at"
                     OR (older."created_at" = a."created_at" AND older."id" < a."id")));
        UPDATE "voice_agents" SET "phone_number_id" = "id"
        WHERE "id" IN (SELECT "id" FROM "phone_numbers");
        ALTER TABLE "voice_agents" DROP COLUMN "phone_number";
        ALTER TABLE "voice_agents" ADD CONSTRAINT "fk_voice_ag_phone_nu_7b761cde" FOREIGN KEY ("phone_number_id") REFERENCES "phone_numbers" ("id") ON DELETE SET NULL;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "voice_agents" DROP CONSTRAINT IF EXISTS "fk_voice_ag_phone_nu_7b761cde";
        ALTER TABLE "voice_agents" ADD "phone_number" VARCHAR(20) UNIQUE;
        UPDATE "voice_agents" SET "phone_number" = (
            SELECT p."e164" FROM "phone_numbers" p WHERE p."id" = "voice_agents"."phone_number_id");
        ALTER TABLE "voice_agents" DROP COLUMN "phone_number_id";
        DROP TABLE IF EXISTS "phone_numbers";"""


MODELS_STATE = (
    "eJztXfFzoziy/lco/3IzVd65xM5MsnevXlWSzezlNpNMJZ59V7dzxRKQbb1g8CJwJre3//"
    "tJAmxAAgMGB+SuuptNQC3I10Lq/rrV+n2wcC1kk3fnM+T4lwHx3cXHwDF97DqDv2i/Dxxj"
    "gegPRc2G2sBYLjeN2AXfeLS5nMEEdJNL6NNIhDcxHonvGaZPW00NmyB6yULE9PAyevjgXA"
    "vltFhOQw7r19Lojwb9H+v7HevLck3aGXZm1cQCB/8WIN13Z8ifI48K//JL+Mbsbiw++Ne/"
    "6G/YsdA3RFgb9uvySZ9iZFspkLDF5dh13X9Z8mtfvlz/8JG3ZO/5qJuuHSycTevliz93nX"
    "XzIMDWOybD7tE3QZ7hIyuBkRPYdgRufCn8M+gF3wvQ+lWtzQULTY3AZkgP/mcNCn8S++fk"
    "f6NXSzTT9du7if5wNdH1gaAY9goZ0KNLJtUtVSp2fAbU73+E/W4A4VcH7AGXfzu/fzP+8J"
    "ZD4BJ/5vGbHK7BH1zQ8I1QlIO+Qdn0EMNEN3wR7R/oHR8vkBzxtGQGeSsSfRf/UEcD8YWN"
    "CjZjOwY3hq8FwAf0D7TuHPsl0n2BAibXn64eJuefPrPHLQj5zeb4nU+u2J0Rv/qSufom1J"
    "dLP9vw6153ov3f9eRvGvtV++fd7VVWq+t2k38O2DsZge/qjvusG1ZimMZXY9Roy43Wg6VV"
    "U+tpSdB6V7QeY5RQe/T2G62Hy0e1eTUp0+Ts+spa3mUy3QAaT/8VMc2IAawZWF1vZjj430"
    "YNaCWiAC+Fl1lZ0yepBZCETIT6o+shPHN+Qi8c8Gv6PoZjIgmwkVF7l+munxBvrm5WVM94"
    "XpupsoFGf6AIIJ+jcXn+cHn+w9VAnIAbwPhnF5voPO5MUYSTK892aKcJB2pHdEWPTFGEM+"
    "uQHGQ2czwa5tOz4Vl6agphd9yRm7mybiveWowW2SuGQ9VsRX8Je++kazxxXXuQ5zfzm8Pt"
    "3rJP25V2kVljmYM71J6xP9ewTzSK6hTPAo9/+bSBpRFksOYEUY/IJzIXuqlui11s9hRwr8"
    "G97sks1VNHC9zrQ9R6Gfc6nMJFjf/94e425xtfS2Q1jU1f+49mY9KahZeYXR8DbPvYIe/Y"
    "Y19jgmUIpZR8+/P5PZ91P53/I6PQ28ubu4us9lgHFxkvkiCHYB+vkJ6nmAn65ssVI5PNqI"
    "j+aSVUE80WXfn6ir62q39MinWw/thu7m5/jJtnFZPVATNeopVRJ0gyH+Z/HVLhbnwo7HnK"
    "fCiBQ6jZb7JlJxVTKqunPHlQVeOqwkSP3AhRQRfU/EeGk2O/pwQzmnmMXKk2VBJb9Unw15"
    "Z+05hf3N3dpDC/uM5OUl8+XVzdvznmCqCNcOjtXt9OshwkXennumGabiCjbC7nhpfDQGYF"
    "VVg3qKP+TbeRM/Pn9Nfx6KhACfEwp62ywzy6NQrvyQCnz3XCqaS67SzvoQEbumPK6K/JLH"
    "pKoc7QtyWmndbWeVoeNN5ljTsIUWvOQ9F3WnEdk0jvcTFbX0nqWE4mdmw5WyNGsTOIjCbP"
    "X9FksuotaqOjMosabZW7qPF7adgh4g6h4T7By0IIFWFNiACcEGmHSHv/EK4WafcjA2tHZD"
    "/bhj91vcWkRXutA9gmpseq8fWsl0QR9ZGEmbuIpD/+dI/s9WyQM2ec054eWEcKYf5Hq5kI"
    "S0wH9UCWhhDeGRbmICyx/oReyiUg5AMhCfxDnB/i/L34ansa8YU4/yFqvUycn/9X0Hc+fx"
    "K3r8WZdE6vKdLkuBRpclxAmhyLpMnSQ1P8rQrCG4lmMN6+Zu0P4Q9lAM5+DQl8P2ThpeaI"
    "PjfIvArASRkFh/GHkxIgfzjJBZndSoNsG8TXA1JrbcjKQjyjO4uBaAN4aOU+1dJzWhK03G"
    "Utx1b640tFelQQ3MG36o9+gdHvCryea6OKsCZEAE5g9DvC6LNR2QDE91E3ikKb+HZTkN7T"
    "FfD++nIyyFnVGkD2C0E9TAIoC6ywjqfgpW+h3X65uXm17XKM1UeE5BWaSdweFtLVPM4Qti"
    "y5ae7OQRqhAwVZ32FHs9AKm4hCOEdUYIHtF82dap7r04/dmWnUT6dz61zzqeHrEO0Rzana"
    "NSypO9NMt1+dr865adI/KL5nGp73wvuJ/kwNW0ONuBq3xllnyXtv2Ct85wa+5nqa8dXxEP"
    "PL0s97qyHHInwTn5F6lEGl6BeTt3MPCHwg8Hux9vSUygUC/xC1XobAB8rmECibWFd1El6z"
    "kuqlu56UCdyc5MdtToSwjWljlkZENUSVKElTycdblFQP7+ZDDNQS9fScPLd8rNNS6uE8Lh"
    "WRHBdEJMdiRJKDVs0OT4gAiVZMogURcbAf/qGjkG4lIBIDqn4iYeS46qGHKoJeJZXwPuxr"
    "wrpSCPdWkwkvDVta0YhfHxYxMyZtAVmEQEIACdErdxRIiEPUehkSwsIeyqlYmG+9p4QUTM"
    "Q6K2G7n+Va7mdZu33quQvdCRaPMgMzH+WMmII4j0elCjgU1G/IQs0GemWgU0IAcwmY2R6g"
    "oBK5spFoC2CVkmMR/avqUIZZOfWIleYJLP8Z29jVmWejE5mDUTBxiKKNIN6hxO8WcpLxCj"
    "1hX/dcd1EF7Kycakgfj8qYHbRV/jwyEkwP4hhLMnerFbxLyHSjeJpSBSENhzwjr5ajlRGF"
    "wF93HCvRnw7X4upKTsqBhrusYSuqk64TVprIktjD105OZVeZaEbZuFSxh46pl74u/c93o+"
    "OT05Oz8YeTM9qEv+f6ymnBCBALRvFNSGjF4rIE/VYBYFGwFry1lrCjLLhH3QH0FUtBdWyo"
    "KrZvRBl0O7vPoZsIK1S4qKcA59YtKpOOn7AX2WK1YzCcBXCvVmqViUrbA8iaIU+nf6GHdy"
    "1CdEk9Kezf8B6vaIcv6gzR1rMHwkGWk0KwHoHFeQT6ZsQ3m03wC++e9ctMPziKCJIL+jED"
    "9jTMDMkFh6j1MskF1Vz2vfvpPeJBOBoClAWRqai9gtHs5rcMuKYZePUY+YyogtNTf6cjCW"
    "FLjZIqkbC4PUTBGo+CcQegYg2bjQjsZQAasmV0C2jI2LvckRuLs+37OWC3l6rYfK7b+UZg"
    "dttkdl+nGojIr8n4IhkJV8Ab8eZ6SAOWYo4G58slcqzvXOphvdMmc6Q9GjYbPRr6LaASYa"
    "GNYMEqefxqLNhxab9q7gp57HjsJMJ/IlpEO0rO1m7nGbBTpgMLwRDIrAOiNYDMOkStlyGz"
    "wnlbEnLCs1xKayOjEqv1/Wg0Hp+OjsYfzt6fnJ6+Pzta01virSKe6+L6R0Z1pTQqcl9P9K"
    "+twn3F7RXkvprfaVCnLMlOuwu6DXArdRs8NEUeihyW8jAnhJSrJ9/KMYeR0a0bU1+2Aaxo"
    "ohZEYb6uPV8Dy5qrkINhWbvJqOxIskL19baQ7Qx93bUZXME02o5C3E4e7X5DBd2cG2pHCj"
    "b5s1AtXMFq4ZcB8d3Fx8gCG8iCA+kWw8LIAG+rxwZdybLh5wL/7j472t8mk8/a2jR88zxn"
    "NbQZA68to+NiWQVv29bCh66bkreS0EAbT5AmvWandQ4mZL9CwKAf63BPqWMIGByi1ssEDO"
    "CAzhariCRfS8B4gr7l7btOiykBddEnc/WPSTGptP5ibu5uf4ybZ5mmzMGohkd/8pEn2X+V"
    "z/KlpYDra5zro+DO3UqBso2EEt9BqzX8As/WfbRg1nmlST0rpyDSo6OywZzCaI4QzplTy6"
    "DiJJMQgRmm8RmGIMOmtihB1Bfx9Vz15K++uR2oUKdu38twCkWdXa30qeSId+OzYc9T5rNh"
    "npkb+PlVgj7arpHzxUhkMxqaMuG2dHN89E4oZhNfaxz8H+6+XNxcaZ/vry6vH64jRawdOn"
    "6TXaIXcHya5PlNBmtMdIOOpZVkjb5wXRsZTg6flZTLIPxIBdsCOCa5kgCvia+mAb64u7tJ"
    "je6L6+w88+XTxdX9m+O3aaDFGD8E7CBg1/XoRwPbIzIFcXYsOMLr4IgxDUXgb7XmyNXCwP"
    "Zd4D+63waSQFHy9rAoSoRYQ93dtIRjTCDWArGWnrDuEGs5RK2XibXQOzVOfExLqXcwwXhU"
    "Kpt9VJDNPhJouTosqOIMaPPhLRI8/j8yKx2pmRBREOJWNmb46JuvP7qWJJMsn8RMCSmB9L"
    "6Zy7m/sCvDnhIC2GvATlc7013QhbcqOZYW3CM7tr6SRL+qn/Yq/FgU6VgZdiCj5beGSDaC"
    "EBqpHRrx0LTSApqSagn31zMGz8osoGf56+eZsHxGgKFvS0xt6Boel7QDOPOiO36W6F734u"
    "S3AavGwjQiKDR5o5sbsg2fOUsyqjm/ykBCBE65YFccZqNHsNSYlyTi+6GD9rk6qDQrhae9"
    "eJ4r2fadb2ulpcDQqpEK6rkrzPJHFogQY4akoeD8pSFHXAVNZJaJUuzFcQF7cSyyF4QdO1"
    "HH6HIanNQ6BrtKk5ppG1QHlh44PpZsIt0SwsoKg667pmsh4eN1tmFeOyvsG3lbMBN3h0WB"
    "dbxu18KBHhBXh7h6LyjdnkZYIa5+iFovE1fn+VJVTPq1gBIhmn2E090n5Ohzg8yrwJyWUq"
    "48XPMB9fokdePsdNcGeX+nK3GVMkwTLestUxlR8Je6rGcPregMWEfNaUnQcpe1zJ3KOgX3"
    "BEEouAf7d/YIr+faci48H9aECMAJ26FecTtUdiA3APF91I2i0Ca+3RSk93QFvL++nAxyVr"
    "UGkFW7gKGwjneqgOEntHhEHpnj5UDCnCfuDouY88W6XStHYQfRAElNmlAVEBj1fkzBPeVW"
    "gVE/RK2XYdTB8wLPqz9wMuuhIpwJEYCz2JGNbbP9+AAdhXSrE5AYUF0/SLavEAM38IrcwO"
    "s4r3fngT9/8A3+NoLzmrg7LHJeXWrqzHW2xQOVrbiv0dYeVbPGn6FNbff5L+EBuRRuG31H"
    "P3fNcdnhudgh2ELRvZlDRX7lT/pVUmW/qV4h+6wDS+YQfOUD8prAVz5ErZfxlfmEXTk3Ki"
    "0FuVH87y7KjTLpuq6vkIdpjxJ/JB9pQVDBpL/jUZlK4rRV/tadkVBN/NFzn5lX84j5dtTK"
    "QzxPXr2dU5AJ2A2So+NLh8RiIPXMBQK5Yb3QLy/ISv00t+oBt4IgsJRA+u6R9N2MvwbIM1"
    "5SeNJiCaYOMGjCB7udmgRivRFi/ZWYSQdN6PI6YVtcBjJuMnl/WMhOOkhnK7XOt8uUJCgf"
    "1oThUOMWH/1dCzvQ2OYmZNHfNENbIo+4zl80vuNJC70gkzPoQ21pEPLsepZGZwXki3RlS8"
    "8A8rIDU/8QyMsDorGAvDxErZchL5eBJ6+1WVAPZyOiIJM2HpXaPVuweRb2zgJj1q0R3t/5"
    "ChizA9Qv0DpblAq5fIdJOSTT/GSUQyYNsIBySLSESljgzoM73yvHDtz5Q9R6qVwkY1HJl4"
    "/bK+jIj8qe91503LtQzdYOZlXwjduD/77Vf0++loBwfnnsjNj+BvJAtAJacuHaqIn9jB4J"
    "rnY8WkKkryjv4bSux4BgBxFC39g3sF3ptHuZbDeOumePVeaoezh+vQDxBo+Xou6DhX390b"
    "BjNiEDNp7lnhYiyvb6zJDvR6Px+HR0NP5w9v7k9PT92dH68BDxVtEpIhfXPzKgUwqRHOxF"
    "X2qJdJOf4p3DpxWdhSOTbiRrt0MWTCunHUTjVTds5PnhjrMqyOeI73G5dZ/EWT661s2TiG"
    "KOonL1PUEQqu8VUscbvPZHIHcT1638sTC0KheEyiZihnOxHhtmEqvyIurn40/3yDZy3KFk"
    "PuYl7/Jj1GMP3f08beQkYDeBmWI5rGmkllh/Qi+7wrTEdBZQFSPTsHcdR5e0C3VmPgEdHa"
    "2QIzsXsCpGV6wfRYGykTWTxWErYcQdpBve05Xje+p+c40ufYex6mXOOaoPV/pgJRWhyhS2"
    "rA9VupKmilAt52yrghPwv3M3sD6zrm55T6qiFSZwskL+ZhNfIt9Icr/uTVXUuL2+I1Q/u9"
    "hE3F5XCaVKmUUJKjB4LIirxbCy3Uou/Wc7uA+Z/hQxzyqmYiXnL0kmVmZ6y0/EEqZUSMSC"
    "RCxIxOpLSg4kYh2i1sskYqHjDydVIj9xe+UShUqdRlhwGKF4FmF8HnsVeJMye4ym+c/Yxq"
    "64SiWudzOqtj7znlQLHWflVAsaN5/2tmLOim4aS/7HiwZ6UUKKIAtJKVuTUsiC1EQ7I7lH"
    "rNdXkmBXdQ9eB23f8AOJO1+UfBJL7HGe3qR1paeQxPVuztNTDyPHsl/0qonfgqAaKZ3Nz8"
    "8eojNCvT2nGVHYd9ode1100+DEk30mE8EBCHXyikofgNDQ/tQMLd8EfVyJm+/mdLc7eWwb"
    "0v27/PqwkC6mLYAmBpoYaOJeEYZAEx+i1svQxE9Ikk2d77VFzZUjiZt322AjdLsbXRau48"
    "/tF33pcQpSnrSRu7srR3p/W7zaBD/c8TU6Pjk9ORt/OFlv9FpfKdrfJdlFF3gecsxK80RS"
    "Zo/ETkDiV5FcbGTHbpn9uvm7dSV7hyzsE32JPPZ/7Ers2y07FLPCMIRzN4KGUC2wE8g2xZ"
    "XCeSMMOEtwfsS2zQ5awQ4FbSH12Av2HsqE9zh5bHSbhjpxvYkppMw5Ofmn5Ahn5ER7ZcOF"
    "rNY226SoauHSVkwP2L7fXuxOoGzLbFFMppjumLqrcHZpW1UBP1NMp6634HsT5azi5v5wC7"
    "vIW262S5Y5KJU11kzbIETDjma6Hvozl/8zXixtvpCE6e9DzSAabeZr5MUxkaW9+ZXnL4QZ"
    "37wbwm/9+lZ2cmpbjwE6FOhQIMaADgWtd4AOfV3WrkOGcwvl9TCh63v1RKGsHBCk5byUvp"
    "UzfKU0oTZqG0Y7xmtqQC6twpm1+9YDnennIWIV5puUkBLDv+0cUI4YfeYUS0rT5hebzIhB"
    "ncni8V+jzmQIrk7MOVoYVVQjCIJyGlcOQdQ99PXaOsqTB1U1rip+qOq6/ksNXeV20A1lse"
    "cpoyxg5/ezs4bhtTKwXWMjU1YU0N6+j4lzyTXYqJQg7ADpDvcUUo614l1QU/K1Yl33aEoV"
    "Ps89dDt1f1gU6/LCllXO3IaUeoghQTShIzM6xJAOUetlYkhw3PJe4klw3LKyRnFq+7vr15"
    "xD05Lg+nRZyyQwTUSI6+kEGTaS2KT58TKZLETLqkfLCAWxeu2BtBSUHSguOxChJQJcueLA"
    "eeDPHza99RPcrQUH0qOrS2dh37scWJEBcENOs8Dzpy3A4QeHHxz+Xrl+4PAfotbLOPywhx"
    "720EOK6D62aIo2QI/8K0z0KONCErTbEi5PCELZzya3DsKhc/IgKhzmBIc5tQvVEnkLzL37"
    "HaFiHvfndWcqwdU2f5FALYfJSONazGnoGY02S2/8wp/BR8Hmnf4FpAeQHr34xnvq/gLpcY"
    "haL0N6LFMrQ1kPPS2loJ/eQv13trRWW78SIhCQKw7IxUbFjtG4OOrTT0i3huESA6pLMbgH"
    "qqNr59z30WLpy0zYdINCC5bQpjp26FrEG5euPsPkvsOOFskNtWcP0x8d7RFN6SjSsE+0pU"
    "HIs+tZGiaaOUfmE7JkFWbqdvXV+epc+5rpBqzAjDGjiiS+Rg1nzcYLJvSGV6shyFthE5E/"
    "x3+qP/dc37fRu+XLW+15jm32CNYxfYepjWdzXzMc66vj0qHP7kwN2sT6q2ZoHpoGBFnxm/"
    "6JaJ77zCTDoWENmSBtF6VmRJcJ/wvcZ4ffpT9/deh6Qz9VQjsIO9dcBxEoi9OViROM/UMy"
    "+8DYP0StlzH20YLOzlXs/LVAWyb+64U5x6UOlBwXnCg5Fo+UNG3MtnRFy2EVpEVJ9SBv3q"
    "kKrY2KcbiNEMTgdo/BteoY8Mq2VyvkyN2CxO1ipyCskItWcYH4Mh5B2LvGhbSl5zILmFu2"
    "Jm3uIWqLW/RXamMzC5325hAjNAX9uZEUwL7MSWi4dzCzwcwGgwvMbNB6F8xsNqlXLOKelF"
    "EupbCVrLe4tlvpnZkv6taCawPfyGiKlh+JjY1nuWdtiLIqnbPx/Wg0Hp+OjsYfzt6fnJ6+"
    "PztaH7gh3io6eePi+kdmb6d0ItaMcQPfdKtl0CZEFBzu41Epz73AcX/bIR8neVKBzMnJnG"
    "RQ4OVkj0+AjUngT4A/0RfLEvyJQ9R6GX8isqaS83u9I6IkPcBJUaVMYcMPKtH5G4k9bqtx"
    "XEdy7tn6andML/FYSj86+lCnwHnVl7ScPqBYSHdmNXExy2gNOZIprZLeox5A653WOsvAs6"
    "kdUqj3wgBeXhcQzitTgZZVUwpDYXW5HWkH+yN4jrK4H+2wur0Ko5OEsKohl5Xs67bdPZht"
    "S9twdhnpcnkY6OUHegLBauNcEIRhXjzMq7FuCZEdqLf+WElbibYE2+7NDAf/28j1svNRlY"
    "jul9jsJLgFuzbYMBQBrrxr43PUTS+H69ZNG4lvNbVpgz5fu/1yc1Nt14Z8oItKuHPQxKX/"
    "lFTBXaazPo7trZqQfN8lttHsFB3iFejv0co1jbwAUbbJsChGFJYn9taty2bDOdodq1SozT"
    "zD8TXf1VgXT0gz/HA7i+eusIW8v2qE5bM9vvC0tWfXe0KeRuidIduYYs416rppgcMKfEqS"
    "4lp6CMSyOrAKDCGWdUBRDYhlHaLWy8Sy4km8kjOYkIF0lhIxlbCAduJMmjTSBTW4s4JKwF"
    "30+bRTgTtEUX6kWgG5l5FTAvy2twBFoHl0Fqpa8TwjCDUWehD2Fg3gJXIshoUAZfJGR09c"
    "ThQpSEOcy0knRXrNRI+OT05PzsYfTtYE9PpKEe8scswOXc3icg81jEmJuIIWZX8tSNFxsA"
    "3i68jzXIkRmW/apKXgYJHqZk13mfHuKqI+N15Mz1bmyHclaLsBcUsU7d6S/b8Qzj8KHC6/"
    "PiwibgPaApL6gQgFIrRXlBgQoYeo9TJE6GvX4ulQzn4rpXjiCnuVT3AVBBWk4Ubv35dAnL"
    "bKRZzfyxTjoQ/Wq571khJSEelSGV+jgoyvkZjxxacCfYU8TDuts3BIO4C8+e4sF6KVgInO"
    "KgCtJF/XtlNnNnJ7zJCPl5OkWtdLTIfz4yleS9vwp663oOpZ1DnlR5SHnQk9Puynm5Na8a"
    "ks0YGru0Kk5OG0aTIZWTPk6cihfaEd4br0kIX9G97jFe1Q3cHF0vJf5TSpPsIFh0mVhsql"
    "JtBc55ucdsSKZ5I+sI6UxcpBOjPLc9N8KsHloAnti+cSqwpYzJEmYwS7wlYtqtKX2avNEM"
    "jPLjbR+SynpGvi7rAoHLJi7XRjVrqgK0RFICoC/HhHCA+Iihyi1stEReCo8JYrGb0QHy30"
    "pedGJymVzgzPCiqB+L5TqOiXQiedMCe1LPJJmb7ugt83ztw8rDKPrAWUGNbpieSkzDxykj"
    "+NnAiziG04s4Aa31UQTsooCHLzyeEQ8NlPwIep0TRsW7cCL8wbJIi+iFUlK7+wj/2l6R+f"
    "HQmZ+vG1biTr85NMpsij7naVySMjpkL2diYFppSxNy4w9saisQcJ261uj1rOGQXrBIyUr1"
    "p/RxRtsA5PF4ppQDK8EsnwyWqdxHcXekwn7hpZZsztJe/yY9SjQopIL3nU5moCrUmLtttr"
    "Y8Rsp12D77SL/lkBFUIw8oVHBK1i5abPrLPbdV89XGq2V9ASV9sylbR2CnOdIw+b84EkxB"
    "XdGRaFt4xNm84EtnKdH6n9IvFyItV0Nym9EV8nP461Qh6R2i8FtNRGREHOpJUsdPZRVUA4"
    "aq4guq3ED+gT/Sg4n0b47w93tzlB2I1INhaHTV/7j2Zj0sfDwArAZWAUc9pZ+nqY9ohYBx"
    "evfUbVH/8FkmR4/g=="
)
