from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "call_analyses" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "attempts" INT NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "claimed_until" TIMESTAMPTZ,
    "summary" TEXT,
    "success_evaluation" JSONB,
    "structured_data" JSONB,
    "model" VARCHAR(64) NOT NULL DEFAULT '',
    "latency_ms" INT,
    "error" VARCHAR(300),
    "completed_at" TIMESTAMPTZ,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
    "call_id" UUID NOT NULL UNIQUE REFERENCES "calls" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_call_analys_status_70cae1" ON "call_analyses" ("status");
CREATE INDEX IF NOT EXISTS "idx_call_analys_next_at_7be16e" ON "call_analyses" ("next_attempt_at");
COMMENT ON TABLE "call_analyses" IS 'The post-call analysis of one call: a durable job until it is done, then its result.';
        CREATE TABLE IF NOT EXISTS "webhook_endpoints" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "description" VARCHAR(500) NOT NULL DEFAULT '',
    "event_types" JSONB NOT NULL,
    "is_enabled" BOOL NOT NULL DEFAULT True,
    "disabled_reason" VARCHAR(16),
    "signing_secret_sealed" TEXT NOT NULL,
    "previous_signing_secret_sealed" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ,
    "max_concurrency" INT NOT NULL DEFAULT 5,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE
);
        CREATE TABLE IF NOT EXISTS "webhook_deliveries" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "message_id" VARCHAR(64) NOT NULL,
    "event_type" VARCHAR(40) NOT NULL,
    "body" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "attempts" INT NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "claimed_until" TIMESTAMPTZ,
    "last_attempt_at" TIMESTAMPTZ,
    "last_response_status" INT,
    "last_latency_ms" INT,
    "last_error" VARCHAR(300),
    "delivered_at" TIMESTAMPTZ,
    "endpoint_id" UUID NOT NULL REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_webhook_del_endpoin_cea01a" UNIQUE ("endpoint_id", "message_id")
);
CREATE INDEX IF NOT EXISTS "idx_webhook_del_status_5365ad" ON "webhook_deliveries" ("status");
CREATE INDEX IF NOT EXISTS "idx_webhook_del_next_at_c6b905" ON "webhook_deliveries" ("next_attempt_at");
        ALTER TABLE "voice_agents" ADD "transfer_mode" VARCHAR(8) NOT NULL DEFAULT 'cold';
        ALTER TABLE "voice_agents" ADD "voicemail_action" VARCHAR(16) NOT NULL DEFAULT 'hang_up';
        ALTER TABLE "voice_agents" ADD "voicemail_message" TEXT NOT NULL DEFAULT '';
        ALTER TABLE "voice_agents" ADD "analysis_plan" JSONB;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "voice_agents" DROP COLUMN "transfer_mode";
        ALTER TABLE "voice_agents" DROP COLUMN "voicemail_action";
        ALTER TABLE "voice_agents" DROP COLUMN "voicemail_message";
        ALTER TABLE "voice_agents" DROP COLUMN "analysis_plan";
        DROP TABLE IF EXISTS "webhook_deliveries";
        DROP TABLE IF EXISTS "webhook_endpoints";
        DROP TABLE IF EXISTS "call_analyses";"""


MODELS_STATE = (
    "eJztXf9zmzja/1cY/3LtjLebOGmb23vnnUmy6V7uuk0nTXdvbrvDYlBiXTB4ESTN3e3/fp"
    "IAG5DACAMB+Zm567agR7Y/D0jP83m+6D+Tpe8gl7w6vUNeeB6R0F++izw7xL43+c74z8Sz"
    "loj+pWrY1JhYq9VmELsQWnOXy1lMwLS5hHmbiPAh1pyEgWWHdNSt5RJELzmI2AFeJR8+OT"
    "ViOSOVM5DH5nUM+leL/o/N/YrN5fg2nQx7d2pikYd/j5AZ+ncoXKCACv/yS/yN2d1UfPLr"
    "r/Rf2HPQV0TYGPbP1b15i5Hr5EDCDpdj183wacWvff58+f07PpJ9z7lp+2609DajV0/hwv"
    "fWw6MIO6+YDLtHvwkKrBA5GYy8yHUTcNNL8c+gF8IgQuuv6mwuOOjWilyG9OT/1qDwT2J/"
    "HP9/8tUyw0zzw9WN+enixjQngmLYVyiAnlyyqW6pUrEXMqD+80c87wYQfnXCPuD8r6fXL4"
    "7evOQQ+CS8C/hNDtfkDy5ohVYsykHfoGwHiGFiWqGI9vf0ToiXSI54XrKAvJOIvkr/0kQD"
    "6YWNCjbPdgpuCl8HgE/oD3SuPPcp0X2FAm4uf7z4dHP640f2cUtCfnc5fqc3F+zOjF99Kl"
    "x9EevLp69t/HavJzF+vrz5q8H+afzz6sNFUavrcTf/nLDvZEWhb3r+o2k5mcc0vZqiRkdu"
    "tB6tnIZaz0uC1oei9RSjjNqTb7/Rerx9qK2rWZk2V9dn1vIui+kG0HT5V8S0IAawFmD1gz"
    "vLw/+2GkArEQV4KbzMyrq9l1oAWchEqN/5AcJ33t/REwf8kn4fy7ORBNjEqL0qTDdOiDdX"
    "NztqYD2uzVTZg0b/QhFAIUfj/PTT+en3FxNxAW4B4598bKPTdDJNEc7uPNuhvc04UDuiK3"
    "pkmiJc2IfkILOVY27Z949W4Ji5JYTd8Wd+4cp6rHhrOVsWr1geVbOT/BL2vbOu8Y3vu5My"
    "v5nfnG73lkM6rraLzAbLHNyp8YjDhYFDYlBUb/FdFPA3nw5wDIIsNpwg6hGFROZCtzVttY"
    "vNPgXca3CvR7JKjdTRAvd6H7Vex72Ol3BR43/7dPWh5B1fSxQ1je3Q+K/hYtKZhZdZXecR"
    "dkPskVfsY59jgWUI5ZT84afTa77q/nj6j4JCP5y/vzorao9NcFbwIgnyCA7xAzLLFHODvo"
    "ZyxchkCyqiP62GapLVYihvX9XbdvGPm2odrF+291cffkiHFxVT1AEzXpKd0SRIsh6Wvx1S"
    "4WG8KOzztHlRIo9Qs99m204uplRXT2XyoKrWVYWJmbgRooLOqPmPLK/Efs8JFjQzT1ypLl"
    "SSWvVZ8NeWftuYn11dvc9hfnZZXKQ+/3h2cf3ikCuADsKxt3v54abIQdKdfmFatu1HMsrm"
    "fGEFJQxkUVCHfYM66l9NF3l34YL+82h2UKGE9DGno4qPeXJrFt+TAU4/14uXEnXbWT5DCz"
    "b0wJQxXpNZ9JRinaGvK0wnbazzvDxofMga9xCi1lyAkvdUcR+TSPe4ma2vZHUsJxMHtp2t"
    "EaPYWURGk5fvaDJZ/Ta12UGdTY2OKt3U+L087BBxh9DwmOBlIQRFWDMiACdE2iHSPj6E1S"
    "LtYWJg7YjsR9cKb/1gedOhvTYAbDPLo2p8veglUURDJGHmzhLpd3+/Ru56NShZM07pTJ/Y"
    "RBph/kenmQgrTB/qiSwNIb4zrcxBWGHzHj3VS0AoB0IS+Ic4P8T5R/HWjjTiC3H+fdR6nT"
    "g//6+g73L+JB3fiDMZnF5zpMlhLdLksII0ORRJk1WAbvFXFYQ3Eu1gvH3P6g/hN3UALr4N"
    "GXzfFOGl5oi5sMhCBeCsjIaP8ZvjGiC/OS4Fmd3Kg+xaJDQj0mhvKMpCPGM4m4FoAwTowb"
    "9vpOe8JGh5yFpOrfT5kyI9Kgju4FuNR7/A6A8F3sB3kSKsGRGAExj9gTD67KlsAeLrZBpN"
    "oc28uzlIr+kOeH15fjMp2dVaQPYzQSNMAqgLrLCP5+Cl38L48Pn9+2crl2OsPiKkrNFM5v"
    "a0kq7mcYZ4ZM2iuSsPGYQ+KMj5BnuGgx6wjSiEC0QFlth9MvxbI/BD+rJ7dwb10+naujBC"
    "avh6xJijBVW7gSV9Z9qZ9ov3xTu1bfqD0nu2FQRPfJ7kZxrYmRrEN7g1zibL3nvBvsI3fh"
    "QafmBYX7wAMb8s/3kvDeQ5hBfxWbmPsqgUfWPKKveAwAcCfxR7z0ipXCDw91HrdQh8oGz2"
    "gbJJddUk4bUoqV+663GdwM1xedzmWAjb2C5maURUQ1SJkjSVcrxFSf3wbj/EQC3RwCzJcy"
    "vHOi+lH85HtSKSRxURySMxIslBU7PDMyJAolWTaFFCHPTDPwwU0q0EROaBap5ImDiuZuyh"
    "iqCrpBJex3PdsKk0wr3TZMJzy5V2NOLXp1XMjE1HQBYhkBBAQozKHQUSYh+1XoeEcHCASj"
    "oWllvvOSENE7FOatjuJ6WW+0nRbr8N/KXpRcu5zMAsR7kgpiHOR7NaDRwq+jcUoWYPujLQ"
    "OSGAuQbMrAYoUiJXNhJdAaxTciyiv6oJZViU049YaZ/ACh+xi32TeTYmkTkYFQuHKNoK4g"
    "NK/O4gJxk/oHscmoHvL1XALsrphvThrI7ZQUeVryMzwfQgnrUiC1+t4V1GZhjN07RqCGl5"
    "5BEFjRytgigE/objWIn+dLwXqys5KwcaHrKGnaRPuklYayJHYg9feiWdXWWiBWXjWs0eBq"
    "Ze+nXpf76ZHR6/PT45enN8Qofw77m+8rbiCRAbRvEiJPTA4rIE/a4AsCjYCN5GW9hBEdyD"
    "4QD6jK2gBvaoalY3og26g61zGCbCGjUuGinApX2L6qTjZ+xFtlntGAxnAdyLB73aROXtAe"
    "TcocCkvzDAuzYhOqeeFA7f8xkv6IRP+jyiatkDWd/Ucp8IrgD2ykM3Pv2j3rN4mplPI2QV"
    "Uy3WKJSkXGRRqk69MGMFoZpFMTcLZLAd9hsma6TKZTUrvocMdvE7wzKYL0I/w/iXPzciL8"
    "SugUODDnPooCmrQ/F4VQndpSnCYolMFx/CCmZ+DnAYssser4WhP9UjVkwMhQsrjMtd2B32"
    "EX8xbNeiDrFjzJ/opz36wT0KjFXgs0qYL94Lm25c39LPJq9WTy+nxuMC2wvDIvfxDBzt+L"
    "SrkA6ML8ZfxVigABmxfPrbXkItzVCMxakBaSz7k9AAaSz7qPU6aSyjCEhPVnTPYgoS9Ju9"
    "McyItEX34uVK5p+UUnBZESDf2BUPfQ3NBJYGC5REvJ9Vqs+g6HgXJXEvSmxSkxu8ykZIUR"
    "iCQUPWNYmWSyuQdLCoON5vI6JDok6VNjs51S/ifQ5M9GC5UQknXJHlIJXeKd9hPPro5qRL"
    "+vvtMGL5CcwnU1KGKAqaaK4JzmeoGMNrgf6yXyeiFdya+dtFI80QefaTuVQxgPNCEN4XDW"
    "IUBL5SqvZaQIcNs4eSYdtfrlg4qhELVpAF+3PI9udgEhGGxnq1k+fBoy+KPVc3Iv2S94ME"
    "c7BpHQN9XtvL61DpBZh/4EVlpOHfmqpIC8rH+Ixv78W4eb9rAL9zwX6c11ESQl4nfWyJH2"
    "+STNot4P9l/bywbMtfIRAKgdBRLLYjDYlBIHQftV4rEKqUJd97avyIuAmOhgBlRTFoMl7D"
    "AvL2u/T5th0FzYrgCqIaLk/jXY4kNVKKkYBW6P9mhLTuhafDoTCG+35B5c8wKSI5G6FMDT"
    "XlI4YB6e6MRNnz2z/rNsyH9nlItxZ5IqGkRcYXyepeKngjPtyMK29qMUeT0xVLaPzGpx7W"
    "K4PVB8wtlz09Bvo9ohLx2RbRktUI/GYt/cgLfzP8BxQYlmdkEf4TMZJKH7HsoKPPgKz+AW"
    "wEUyCz9ojWADJrH7Veh8yK121R42f4rjzrfC2jE6v159ns6Ojt7ODozcnr47dvX58crOkt"
    "8VYVz3V2+QOjunIaFbmve/prVbivdLyG3Ff7pRRNTgLZqaHfsAHuJO8pQLcoQInDUh/mjJ"
    "B2R7jPauE8q8B5JuKcGN2mdRvKeq5WLdSCKKzXjddrYFlLFbI3LOswGZVd0+7gwHPd6euh"
    "reCQ4jg+trW4APcXKhjm2tA4UrBpWQUHdGt4QPd5REJ/+S6xwCay4EB+xLQyMsDHmqlBV7"
    "Mp0anAv/uPnvHXm5uPxto0fPHIOvz4jIE3Vq4V3vrBkvBGP0b8oeuhSTOefGigi0+QJr0W"
    "l3UOJmS/QsBgHPvwSKljCBjso9brBAz4fwV9lzN+6XgNadX2a6CzX0vAuLzLRUFMC6j7bn"
    "WxsgL6txAFkvLzcpYvLwVcX+tcHwV34SsFyjYSWrwHnR6bFwWuyXpdsTYKKhgX5TREenZQ"
    "N5hTGc0RwjkLahkoLjIZEVhhWl9hCLJcaosSRH2R0CxVT0WPqbIJdGig0XvHqSyKJruq9K"
    "qUiA/jtWGfp81rwzwzPwrLD+Z55/pWyRsjkS1o6JYJd6Wbw4NXQgvL9Frr4H9/9fns/YXx"
    "8fri/PLTZaKItUPHb7JL9AKOCczri9P3BawxMVlb7gfJHn3m+y6yvBI+KytXQHhOBbsCOC"
    "W5sgCvia+2AT67unqfe7rPLovrzOcfzy6uXxy+zAMtxvghYAcBu6FHP1oojyicQbPjGR/8"
    "6BkxpqEJ/GrHfCjGii6WFnavonDuf51IAkXZ29OqKBFiA01/M7LVxiMQa4FYyyje4ZGy7h"
    "Br2Uet14m10Dt0MJ1P6diFvFRvRy/0l80+q5XNPqvIZp8JtFwTFlRzBrT98BaJ5v9CtmQJ"
    "qzhDZCOiIcSdFGaE7AyLue8oNcrPCWmBdN/M5SJcusqw54QA9gaw092OdVH2iSo5lhfskR"
    "1bX8mir+qnPQs/lkQ62HEOMlp+a4hkIwihkcahkQDdKm2gOamOcH8+Y/CkzgZ6Ur5/ngjb"
    "ZwIY+rrC1IZu4HFJJ4DO7sPxs0T3Gs62g7PtYizhbDs4224oq5JrEbqNyM9vKbe18lJgaD"
    "VIBQ38B8zyR5aIEOsOSUPB5VtDibgOmihsE7XYi8MK9uJQZC8I8posbhkxMLWGvKjBgZ16"
    "61pI+HieMsxL7wGHVlkJZubutCqwjtfjOjjQA+LqEFcfBaU70ggrxNX3Uet14uo8X0rFpF"
    "8LaBGi6SOc7t8jz1xYZKECc15Ku/Zw7QfUm5PUrbPTQ3vIx7tcibuUZdto1WybKoiCvzRk"
    "PQfoga6ATdSclwQtD1nL3Kls0nBPEISGe1C/0yO8ge/KufByWDMiACeUQz1jOVTxQW4B4u"
    "tkGk2hzby7OUiv6Q54fXl+MynZ1VpAVu8GhsI+PqgGhj+i5RwFZIFXEwlznrk7rWLOl+tx"
    "nRyFHSUPSG7RhK6AwKiPYwkeKbcKjPo+ar0Oow6eF3he44GTWQ+KcGZEAM5qRza1zfrxAQ"
    "YK6VYnIPNADf0g2bFCDNzAM3IDz+O8Xp1G4eJTaPFvIzivmbvTKufVp6bOwmQlHqhux32D"
    "jg6omg3+Gcat6z9+Fx+QS+F20Tf0dTc8nx2eiz2CHZTcu/OoyG/8k36TdNlva1bIPhvAlj"
    "kFX3mPvCbwlfdR63V8Zb5gK+dG5aUgN4r/7qrcKJvu6+YDCjCdUeKPlCMtCGqY9Hc4q9NJ"
    "nI4qL92ZCd3E54H/yLyaOeblqMqPeJm8fpVTkAk4DJJj4FuHxGIgzcwFArlho9Avb8hK/T"
    "Rf9YBbQRBYSiB9eyR9N89fC+QZbyl802ELpgEwaMILu52aBGK9FWL9mZhJD93Q7fWGlbhM"
    "ZNxk9v60kp30kMl2apOXy9QkKD+tCcOpwS0++m8jnsBgxU3Iof8yLGOFAuJ73xm84smIvS"
    "CbM+hTY2UR8ugHjkFXBRSKdGVHnwHk5QCW/imQl3tEYwF5uY9ar0NerqJA3muzoh/ORkRD"
    "Ju1oVqt6tqJ4FmpngTEb1hM+3vUKGLM91C/QOluUCrl8+0k5ZNP8ZJRDIQ2wgnLIjIROWO"
    "DOgzs/KscO3Pl91HqtXCRrqeTLp+M1dORndc97rzruXehm60Z3Kvim48F/3+q/Z7+WgHB5"
    "e+yCWH8P8kS0Ajpy4broif2I5gSrHY+WERkryj2c1jWPCPYQIfQbhxZ2lU67l8kO46h79r"
    "HaHHUPx69XIN7i8VLUfXBwaM4tN2UTCmDju9LTQkTZUZ8Z8ufZ7Ojo7ezg6M3J6+O3b1+f"
    "HKwPDxFvVZ0icnb5AwM6pxDJwV70S62QafNTvEv4tKqzcGTSrWTtDsiC6eS0g+R5NS0XBW"
    "FccaaCfIl4j9utfy+u8sm1YZ5ElHIUyt33BEHovldJHW/w6o9AHiauW/lj4dFSbghVTMSM"
    "12IzNcwkVuVZMs+7v18j1ypxh7L5mOd8ynfJjCN098u0UZKA3QZmmuWw5pFaYfMePe0K0w"
    "rTVUBXjGzL3fU5OqdT6LPyCeiYlme5T0R2nKwqSqd8Jkx0fphM9IA82TGKqmBdsHk0fa5c"
    "5NzJwtZKGHF/8j2f6cILA32XqFYthf0wEgrHQjWHK38OlY5QFfqANocq33hUR6hWC1bZ4U"
    "X8d+4G1kc21Qc+k65oxfmu7NwDu403kdfdXK9n0xU17t7sCNVPPrYRd290RekRzRe+f898"
    "cMzKk3a1Tn+O5/s+nk5bUyKFDXnOysc7P2cJahfJbDqhppT1l6Hpo3lFzDvFllUS+vSP7Q"
    "h/KsyniS+gmCaZ3SwlWZKFvbQ8SVLYvyFJEpIkIUlyLOlykCS5j1qvkySJDt8cq0Rl0/Ha"
    "JfHVOim04qBQ8ZzQVeA/YEetP1tWpsdId/iIXeyLu1Tm+jAj3ileJlFL6yjK6ZbQ0X5K6g"
    "PzjE3bWvEfLxroVcligiwkjG1NGCNL0hDtgmSPWK+vZMFWdQ+eB+3QCiOJT1+VGJZK9LhO"
    "b1Iu80tI5vow1+nbACPPcZ9M1aIMQVCPdOv21+cA0RWhWT14QRRqwodjr4tuGpxG1GeiHx"
    "xO0iTnr/bhJC3VjhdiQG3Qx0qBoGEud7uTx64lra3n16eVdDEdATQx0MRAE4+KMASaeB+1"
    "XocmvkeSSodyry0Zrh1J3L7bBk0Kui1CW/peuHCfzFXAKUh5hlBp5WWJdH/ll12CH1djzg"
    "6P3x6fHL05Xhdhrq9U1V5KKlyjIECerbROZGV6JHYikn4VycVWqunr1NKXV9JL6vocHBJz"
    "hQL2f+xL7Nst1cNFYXiES4u0Y6iW2ItkBau1cN4IA84SnOfYddkhSNijoC2lHntFXbBMuM"
    "fFY6PbPNSZ620sIXXOsCo/wUo4vyqpY483skYl8FlR3cKlnZge0Fqju9idQNnWKR/Oppju"
    "mL+rcXZpVx07P1JMb/1gyeuG5azi5v50C7vIR25KmescYswGG7ZrEWJgz7D9AH3L5b/Fy5"
    "XLN5K41mJqWMSgw0KDPHk2cowXv/H8hbi8gE9D+K3fXspONe7qY4AOBToUiDGgQ0HrA6BD"
    "n5e1G5Dh3EHrS0zo/q6eKFSUA4K0npcytlajz5Qm1EXf0aQ9QUMNyKV1OE+6bz3QlX4RI6"
    "aw3uSEtHj8u84B5YjRz7zFkrbR5Y1gC2LQA7b6+W/QAzYG1yT2Ai0tFdUIgqCc1pVDEHUP"
    "Q7OxjsrkQVWtq4ofeLxuNtRAV6UTDENZ7PO0URaw8/1U1jC8HizsNihkKooC2tvrmDiX3I"
    "CNyglCBchwuKeYcmwU74J+r88V67pGt1Thi/jAe0msK3d/WhXrCuKRZnzUfK1YF6TUQwwJ"
    "ogkDWdEhhrSPWq8TQ4Kj0HuJJ8FR6Noaxbnydz9suIbmJcH1GbKWSWTbiBA/MAmyXCSxSc"
    "vjZTJZiJapR8sIBVG990BeCtoOVLcdSNASAVbuOHAahYtPm9nGCe7WhgP5p2tI59Rf+xxY"
    "kQHwY06zwvOnI8DhB4cfHP5RuX7g8O+j1us4/FBDDzX0kCLaR4mmaAOMyL/CxEwyLiRBuy"
    "3h8owgtP1ss3QQDoSUB1Hh5DA4OaxbqFYoWGLu3e8IFfO4P64n0wmurvmLDGolTEYe12pO"
    "wyxotF164xf+Gfwp2HynX4H0ANJjFO/4SN1fID32Uet1SI9Vbmeo66HnpTT00zvo/862Vr"
    "X9KyMCAbnqgFxqVOwYjUujPuOEdGsYLvNADSkG94nq6NI7DUO0XIUyEzY/oNKCJXSoiT26"
    "F/HBtbvPMLlvsGckclPjMcD0r54xR7f0KTJwSIyVRcijHzgGJoa9QPY9cmQdZppO9cX74l"
    "2Ghu1HrMGMdUcVSUKDGs6Gi5dM6AXvVkNQ8IBtRL5Nf2q4CPwwdNGr1dNL43GBXfYRbGL6"
    "HW5dfLcIDctzvng+ffTZnVuLDnH+YlhGgG4jgpz0m/6JGIH/yCTjR8OZMkE6LknNSC4T/g"
    "v8R4/fpX//4tH9hr6qhE4QT274HiLQFmcoCycY+/tk9oGxv49ar2PsoyVdnVXs/LVAVyb+"
    "84U5j2odKHlUcaLkkXikpO1iVtKVbIcqSIuS+kHevlMVWxuKcbiNEMTgdo/BdeoY8M62Fw"
    "/Ik7sFmdvVTkHcIRc9pA3i63gE8ewGFzJWgc8sYG7Z2nR4gKgt7tB/UhubWeh0No9YsSkY"
    "LqysAA5lTkLLs4OZDWY2GFxgZoPWh2Bms0VdsYl7Vka7lMJOst7S3m61KzOf9O0F1wW+id"
    "GUbD8SGxvflZ61IcrqdM7Gn2ezo6O3s4OjNyevj9++fX1ysD5wQ7xVdfLG2eUPzN7O6UTs"
    "GeNHoe2rZdBmRDR83I9mtTz3Csf95YB8nOxJBTInp3CSQYWXUzw+AQqTwJ8Af2IsliX4E/"
    "uo9Tr+RGJNZdf3ZkdESWaAk6JqmcJWGCnR+RuJHstqPN+TnHu2vjoc00s8ljJMjj40KXCB"
    "+pZWMgc0CxnOqiZuZgWtIU+ypCnpPZkBtD5orbMMPJfaIZV6rwzglU0B4bw6HWhZN6U4FN"
    "aU25FO0B/Bc1DE/WCH3e1ZGJ0shKqGXFFyrGW7PZhtK9fydnnS5fLwoNd/0DMIqj3ngiA8"
    "5tWPuRrrlhHZgXobj5W0lWjLsO3BneXhf1ulXnY5qhLRfonNQYJbUbXBHkMRYOWqjY/JNK"
    "N8XLcWbWTe1VzRBv1848Pn9+/VqjbkD7qohCsP3fj0j5oquCpMNsZne6smJO93jTKanaJD"
    "vAP9NXrwbassQFQcMq2KEcXtiYP16LrZcJ5xxToVGneB5YVG6BtsintkWGFczhL4D9hBwV"
    "8MwvLZ5k88be3RD+5RYBB6Z8oKU+yFQV03I/JYg09JUlxHHwKxrAHsAlOIZe1RVANiWfuo"
    "9TqxrHQRV3IGMzKQzlIjphI30M6cSZNHuqIHd1FQC7irXp9uOnDHKMqPVKsg9wpyWoDfdQ"
    "lQAlpAVyHVjucFQeixMIKwt2gAr5DnMCwEKLM3BnricqZJQR7iUk46KzJqJnp2ePz2+OTo"
    "zfGagF5fqeKdRY7Zo7tZ2u6hgTEpEdfQohyvBSk6Dq5FQhMFgS8xIstNm7wUHCyibtYMlx"
    "kfriKac+PV9KwyR74rQTsMiDuiaHtL9v9MOP8ocLj8+rSKuI3oCEjqByIUiNBRUWJAhO6j"
    "1usQoc/di2dAOfudtOJJO+wpn+AqCGpIw81ev66BOB1Viji/V2jGQz/YVD3rJSekI9K1Mr"
    "5mFRlfMzHjiy8F5gMKMJ20ycYhnQDy5oezXYhWAiYm6wD0IHm7tp06s5HrMUM+3U6yal1v"
    "MQPOj6d4rVwrvPWDJVXPsskpP6I8VCaM+LCfYS5q1aeyJAeu7gqRlofT5slk5NyhwEQenQ"
    "vtCNd5gBwcvuczXtAJ9X24WFr+s5wmNUa44DCp2lD51ARamLzIaUeseCbpJzaRtlh5yGRm"
    "eWmajxJcHrqhc/FcYl0BSznSbIxgV9jUoipjWb26DIH85GMbnd6VtHTN3J1WhUMe2DjTuq"
    "vd0BWiIhAVAX58IIQHREX2Uet1oiJwVHjHnYyeSIiW5irwk5OUameGFwW1QLzvFCr6ptBF"
    "J85JrYt8VmasVfB948zNQ5V1ZC2gxWOdX0iO66wjx+XLyLGwiriWdxdR41sF4ayMhiC3nx"
    "wOAZ9+Aj5MjbbluqYTBXHeIEH0izgqWfmVc/SXpn94ciBk6qfXhpGsz08yuUUBdbdVFo+C"
    "mA7Z24UUmFrG3lGFsXck6ZCfosYIlEZwp4I92h30W6RfSHa1DbBPakB9Ugr0SRFmbjvwhI"
    "r4iB5lu6Mg2yPYC7opm9FKxDt7Y5jb4wa5JSJEaoyU29RSYTCu6xnXlme5TyTOc5A87H/7"
    "dPWhpHatKFjkZrAdGv81XEzq7JADW88rtMAQqdZCEfBpnlhhE0A1Tq+1r6sFi695EYu4qj"
    "ZXE0VbbLI2hE5JUOnUf1Bu2n6lU7YVMwn9pZnGinZNG2JhuXM+5btkRo0UkTexqUPdBlo3"
    "HTrmz40Rc4x3zayiU4zWJKgTX5dvPCJoim35PrLJPqznGuFWs709orjb1mmTuFMOw89ovv"
    "D9+++Rix9Q8DSRJDIUh0yrshke48HsW7PRSSJiuzkNv0yQ56z8hH1K3B4G2K+Q7QDZDqPY"
    "bUYa94Zsh33Uep1sh8wqLGi9nDPMS2kYS2u/SVjcSZ5jpAB0XkpDoNuPDM9950mFiE3Haw"
    "Fu30Qs9GeD/mzQn60rI2cgvOrAbRrRlLVdi+rAMSMvlDW42OLDFIWhKH3IuuZN9Zq/2xJx"
    "0Pfg9U3nW9GfiMwy+6N0cywTb7RRDkzNbW+bHCuX/nzPfjKXyijnJQHgEoBL2ohWpbHq1k"
    "a0h0S0hNduxG8VZWGDGPIGkcYYFFMmCmKQjQLJPpCQMiyI20tIka0XLcCcRFwvMjNqinRh"
    "tRxSg+OiEsoj41k9bY+Mpz8Ziv0h/A3h71EFQiH8vY9arxP+jgKlBsjJcC1ChcUmscd1ap"
    "LYsIo2scdCZVL2yykAXRAba11MHuPXtYiN1xXExmtJI951hoCEoCsvhCmI7VQG0wzojaUw"
    "j7AbYo+8Yp/3HMZCJ9UxmFCTkSEkMdq2VU9nBKF8emv5tIMJh8uk+xRRXGdEUf0I1fazEg"
    "h1i+nnsxLzAIVmfI6hiHtFL5eyCbTYWvvOwlkF6AH7ETF31sv2mXR4PZ5PPzGa6OsK052j"
    "ga9RPRMEJobjaogeJu/Q4Xt2FAQsLiqqvrq3R16yv8Su10XVvt5hX2o5gApBCQhKDJ0qb7"
    "VKNl+e1byaUVIbpgn8nXYOPqXQ24uJJKSQ3JlWRRKszZjBhA9K9xzpkijZZpJHfrewweBz"
    "dsqjBfT1IYrkVkZEC3enh4O92EulgHAyXEN0O2nJSj8xRLIIeDl/mBHpnzt8HsOpNZZQML"
    "H6DJT/8T8AqZtO"
)
