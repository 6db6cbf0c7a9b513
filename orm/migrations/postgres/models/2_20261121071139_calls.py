from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "calls" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "direction" VARCHAR(8) NOT NULL,
    "from_number" VARCHAR(32) NOT NULL,
    "to_number" VARCHAR(32) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "ended_reason" VARCHAR(64),
    "twilio_call_sid" VARCHAR(64) UNIQUE,
    "livekit_room" VARCHAR(128) UNIQUE,
    "snapshot" JSONB NOT NULL,
    "answered_at" TIMESTAMPTZ,
    "ended_at" TIMESTAMPTZ,
    "duration_seconds" INT,
    "last_event_seq" INT NOT NULL DEFAULT 0,
    "agent_id" UUID REFERENCES "voice_agents" ("id") ON DELETE SET NULL,
    "organization_id" UUID REFERENCES "organizations" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_calls_status_dfa977" ON "calls" ("status");
        CREATE TABLE IF NOT EXISTS "call_events" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "seq" INT NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "occurred_at" TIMESTAMPTZ NOT NULL,
    "data" JSONB NOT NULL,
    "call_id" UUID NOT NULL REFERENCES "calls" ("id") ON DELETE CASCADE,
    "organization_id" UUID REFERENCES "organizations" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_call_events_call_id_df6453" UNIQUE ("call_id", "seq")
);
        ALTER TABLE "voice_agents" ADD "transfer_to" VARCHAR(300);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "voice_agents" DROP COLUMN "transfer_to";
        DROP TABLE IF EXISTS "call_events";
        DROP TABLE IF EXISTS "calls";"""


MODELS_STATE = (
    "eJztXW1z47YR/isYfellRne1ZefOTTudsR1f4+bOvrF1aadJhqFJyEJNkQoB2ucm+e8FQI"
    "riC0iRFCmT0M5kcjaJBelnCWD32cXit9HCs7FD35zeY5edB5R5i/eBazHiuaNv0G8j11xg"
    "/kNZszEamcvlupG4wMw7R8qZQsCwpIQxi0RkE/OOMt+0GG81Mx2K+SUbU8sny+jho1MUyq"
    "GVHMKu6NdG/EeT/yf6fiP6sj2Ld0bc+3pigUt+DbDBvHvM5tjnwj/+GL6xuLsSH/38M/+N"
    "uDb+gqloI35dPhgzgh07BRKxpZy4brDnpbz2+fPlt+9lS/Ged4blOcHCXbdePrO558bNg4"
    "DYb4SMuMffBPsmw3YCIzdwnAjc1aXwz+AXmB/g+FXt9QUbz8zAEUiP/haDIp8k/nf89+jV"
    "Es0M4+p6atxeTA1jlFOMeIUM6NEli+uWK5W4TAD12x9hv2tA5NWReMD5d6c3r47efiUh8C"
    "i79+VNCdfoDyloMjMUlaCvUbZ8LDAxTJZH+1t+h5EFViOelswgb0eib1Y/NNHA6sJaBetv"
    "ewXuCr4OAB/xP9C+dp3nSPclCphefry4nZ5+/CQet6D0V0fidzq9EHcm8upz5uqrUF8eH7"
    "bh6I47Qf+6nH6HxK/oP9dXF1mtxu2m/xmJdzID5hmu92SYduIzXV1docZbrrUeLO2GWk9L"
    "gtb7ovUVRgm1R2+/1nq4fNSbV5Mybc6uL6zlbSbTNaCr6b8mphkxgDUDq+ffmy75n9kAWo"
    "UowMvhFVbW7EFpASQhy0P93vMxuXe/x88S8Ev+PqZrYQWwkVF7nelumBCvr65XVN98is1U"
    "1YfGf+AIYCbROD+9PT/99mKUn4BbwPgHj1j4dNWZpggnV57N0M4SDtSW6OY9Mk0RzqxDap"
    "DFzHFnWg9Ppm8bqSlE3PEmXuZK3DZ/azFZZK+YLlezHf0l4r2TrvHU85xRkd8sb443e8uM"
    "t6vsIovGKgd3jJ4ImyPCKOKozsh94MuRzxvYiGJTNKeYe0SMqlzotrotd7HFU8C9Bvd6IL"
    "PUQB0tcK/3UetV3OtwCs9r/J+311cFYzyWyGqaWAz9jhxCO7PwErPrXUAcRlz6Rjz2JSZY"
    "gVBKyVc/nN7IWffj6b8zCr06/3B9ltWe6OAs40VS7FLCyCM2ihQzxV+YWjEq2YyK+J9WQT"
    "XRbNGX0Vc22i7+PS3XQTzYPlxf/WPVPKuYrA6E8RKtjAbFivmweHQohfsxUMTztBkogUu5"
    "2W+JZScVU6qqpyJ5UFXrqiLUiNyIvILOuPmPTbfAfk8JZjRzF7lSXahkZdUnwY8t/bYxP7"
    "u+/pDC/OwyO0l9/nh2cfPqUCqANyKht3t5Nc1ykHylnxumZXmBirI5n5t+AQOZFdRh3eCO"
    "+hfDwe49m/NfjyYHJUpYfea8VfYzj25NwnsqwPlz3XAqqW87q3towYbumTKGazLnPaVQZ/"
    "jLkvBOG+s8LQ8a77PGXYy5NefjaJzWXMcU0jtczOIrSR2rycSeLWcxYhw7k6po8uIVTSWr"
    "36I2OaiyqPFWhYuavJeGHSLuEBoeErwihFAT1oQIwAmRdoi0Dw/hepF2FhlYWyL7yTHZzP"
    "MX0w7ttR5gm5ge68bXs14SR5RhBTN3Fkm///4GO/FsUDBnnPKebkVHGmH+R6eZCEvCP+qR"
    "Kg0hvDMuzUFYEuMBP1dLQCgGQhH4hzg/xPkHMWoHGvGFOP8+ar1KnF/+m9N3MX+yat+IM+"
    "mdXlOkyWEl0uSwhDQ5zJMmSx/PyJc6CK8l2sF485q1O4TfVgE4OxoS+L7NwsvNEWNu0nkd"
    "gJMyGn7Gb48rgPz2uBBkcSsNsmNSZgS00dqQlYV4Rn8Wg7wN4ONH76GRntOSoOU+a3llpd"
    "8916RHc4Jb+FbD0S8w+n2B1/ccXBPWhAjACYx+Txh98VW2APFN1I2m0CbGbgrSG74C3lye"
    "T0cFq1oLyH6meIBJAFWBza3jKXj5W6Crzx8+vNh2OcHqY0qLCs0kbo9L6WoZZwhbVtw0d+"
    "1iRPmHgu3XxEU2fiQW5hDOMRdYEOcZeTPke4wPdvcecT+dz61zxLjh61J0h+dc7Ygo6s60"
    "0+1P7k/uqWXxP2h1zzJ9/1n2E/2ZiNhjRD0krXHRWfLeK/EKr72AIc9H5k+uj4Vfln7eVw"
    "i7NpWb+MzUo0wuxUdM0c49IPCBwB/E2jNQKhcI/H3UehUCHyibfaBsVrpqkvCaldQv3fW4"
    "SuDmuDhuc5wL21gOEWlEXENciYo0lWK885L64d1+iIFbor5RkOdWjHVaSj+cjypFJI9KIp"
    "JH+YikBK2eHZ4QARKtnEQLIuJgN/xDTyHdSEAkPqjmiYSR42qEHmoe9DqphDdhX1PRlUa4"
    "d5pMeG46yopG8vq4jJmxeAvIIgQSAkiIQbmjQELso9arkBA28XFBxcJi6z0lpGEi1kkF2/"
    "2k0HI/ydrtM99bGG6wuFMZmMUoZ8Q0xPloUqmAQ0n9hizU4kOvDXRKCGCuALPYAxTUIlfW"
    "El0BrFNyLOZ/VRPKMCunH7HSPoHFnohDPEN4NgZVORglE0detBXEe5T43UFOMnnED4QZvu"
    "ct6oCdldMN6cNJFbODtyqeRyY504O65pLOvXoF7xIy/SieplVBSNOlT9hv5GhlRCHw1x/H"
    "Ku9Ph2txfSUn5UDDfdawHdVJN6goTWQr7OFLt6Cyq0o0o2xSqdhDz9TLX5f/83pyePzu+O"
    "To7fEJbyLfM77yruQLyBeMkpuQ8KOIy1L8aw2A84KN4G20hB1kwT3oD6AvWAqqZ5+qZvtG"
    "tEG3t/sc+omwRoWLBgpwYd2iKun4CXtRLFZbBsNFAPfiUa8yUZ1HwkPACsLhMZrlMXFjrb"
    "12I+M/yu5Fv8KMgWN1IFA+jNE80JApBMr3UetVAuX13M+d+5wD8uklGjkoS6IsUXsNI7Pt"
    "p797lhX4zdjljKiG09NwpyMF+ciNkjpRnVV7iOi0HtGRDkDNeixrEcjLB0qtY3RLKLWVd7"
    "klz7PKHB/mB7u57MJ6uG7mzoCl7JKlfJnKFpnDuFVkUe647hLGSLZNH1NX4VxoFyVR+hNF"
    "3pOLvptOP6F4gX31NBf1HgR7hJZRaXNRbcJxUPjQuCn9SnFEdBdPUJJa2TEiwQR2C9itYa"
    "wbA+U5gN3aR61XYbegmHSHGa/J18phXHz6c0ZMC6jLhkwXJz8vTZ//xLBf6yjhtBQwJq0z"
    "JhzcuVcr1X4tocU46HS/WeA7BsMLYZ3XmtSzchoiPTmoer5i6QGLOdp9zi2DmpNMQgRmmN"
    "ZnGIpNh9uiFHNfhBmF6ilefQs70GFP1a6X4RSKhrhaa6gUiPdj2IjnaTNshGfmBaw4o/29"
    "45kFI0Yhm9HQTAh3pZvDgze5xOvVtdbB//b689mHC/Tp5uL88vYyUkTs0Mmb4tL6LOSbi9"
    "MPGawJNUz+LT0q1ujSw6dTcjs8dnpFciUBjomvHh863Zt4Ut9MIw1ztHsK8S7CH5nk7S0z"
    "iWXOdj6moQn8neYUXyxM4lwH7M77MlIEipK3x2VRIiwaGt66JZTcglgLxFoGwrpDrGUftV"
    "4l1sLvNKhOnJbSkJo7mlQqmTspKZk7yfFyTWhQzSnQ9uNbNLj7L7Zq1X9OiGgIcSfVnxn+"
    "wow7z1YcklTMYqaEtEB619TlnC2c2rCnhAD2JozxECrMjZbYtQVqOdCTN/pZYs5kYp1T0Q"
    "SFm5qSIlBNQ1xxxfQawdLAileI78aU32WVs+Fa7nmHLawq4/ueor5o8WqQloL4YYM0Ht97"
    "JCL2t+D+j3mvPkq2eGkoENdBE5llopLheVhieB7mDU8qT8WpPbklxKCMWZ8nNcsxuQ5sI3"
    "AZUewF2kA/ZoVB133TdS5Y9zJbaC7dR8LMou0zibvjsqAIidvBMSQQE4GYyKDYcYiJ7KPW"
    "q8REZKy7jkkfC2jBru0iEiIOSDPmJp3XizolpdrBukc119uPheAvS8KHRZO6zylJDaev4U"
    "5X+VXKtCy8bLZMZUTBX+qznuGM7n3QsnQqua7unmvmB+cEodoM5F7vEF7fc9RceDGsCRGA"
    "E1LZXzCVPfshtwDxTdSNptAmxm4K0hu+At5cnk9HBataC8hWPNa8n4vYRmBz63jtOu5dMu"
    "cfsTicks7JcqRgzhN3x2XM+SJu10mZ8iD6QFKTJlR0AkZ9GFPwQLlVYNT3UetVGHXwvMDz"
    "Gg6cwnqoCWdCBOAsd2RXttlufICeQrrRCUh8UH0v8jtUiIEbeEFu4GWc1+vTgM1vmSnfJu"
    "e8Ju6Oy5xXj5s6c0Ns8cBVqyUj3trnakbyGWjmeE8cuTlGlMPt4Nd8uCPX458MIi4lNo7u"
    "3btc5Bf5pF8UFZLb6hWyz3qwZI7BV94jrwl85X3UehVfWU7YtXOj0lKQGyX/7rLcKIuv68"
    "Yj9gnvUeGPFCOdE9Qw6e9wUqUKLG9VvHVnkqsEC9loTayGnk9filWLNluyKOQnDUK/4QnT"
    "zPPqHjOWEwSmDIjHHRKP6++vBQJHliScdljgtAcsTm7AbqbHgNxthdx9IXbMxVO+vE7FNo"
    "uRih9L3h+XMmQuNsRKbcgtGxVJstuYtBojafHx31HYARIbbLDNf0MmWmKfeu43SO66QaEl"
    "bkkWd4yWJqVPnm8jPitglqfMOnoGEGg9mPrHQKDtEZUCBNo+ar0KgbYMfN5jrSqLCREN2Z"
    "yjSaUdnCUbOGH/5otwlMCYNTETej5fAWO2h/oFWmeDUiGfbD8ph2SqmYpyyKSilVAOiZZQ"
    "jQnceXDnB+XYgTu/j1qvlA8Dp4EnDoyt4GJOyo+LzVVUdYL7Oviu2oP/vtF/H9pZ66O8Fd"
    "CRC9dFXeYnfEdJvdNVEiJDRXkHh33cBZS4mFL+xswkTq3TclWy/TgqV6sTpuH41hLEWzy+"
    "lbsPNmHGnems2IQM2OS+8MSKvOygz634y2RydPRucnD09uTr43fvvj45iA+wyN8qO8ni7P"
    "IfAuiUQkLkc6xPMUmRTfOx5GmhxmrYwwGkJVxRQXpfG5hpliGVRmpJjAf8vC1MS/I9ftYV"
    "I8t0tv2OznkXg41fbEbHwI/bH5AsMLoQ/egKVKuz+X5M5JnDCZrDlT4NQUeoMtWomkOVLn"
    "+lI1RhDoeoJ2u18W3JXNKbuDddUZNG1ZZQ/eARC0ujSieUugwufuKQzjx/IY1QRXAxdX9c"
    "FlxcRi3XdnGVPf+iMbIck1JEXGR5Pv6zlP8zWSwdvOCaDIfQGJkUiXPZEH3mnqGNXv3yKJ"
    "QdfjWyGypv/fKVqghAV4+BKOgu6CCIgkI8DKKge631/kdB9Y7SEcrX92ejLsRZOQ0Dzp0c"
    "4Tm0qOgLZbl2ESKNeJSGGlBL63Bw7a71IAuIScRqzDcpIS0+/86PlReI8WfOiCLDpThmnR"
    "GDcHXr4eoQXINac7ww66gmJwjKaV05FHP3kBmNdVQkD6pqXVWyNkMcFWmgq8IO+qEs8Txt"
    "lAU5OrvJ0RF4PZok/NvrQ50UBbQ3oh1yyQ3YqJQgbGDsD/cUUo5b5F5B8tDuY103eMYVPi"
    "+s3ZO6Py6Ldflhyzqle4qhgRjSLiYUiCFBNAFiSHut9SoxJKjaAlVbemEaDXAw5edQ32MN"
    "59C0JLg+fdYyxZTWP7QuLQUVXMoruERo5QGuX5VXHOCz7m2Y4G6s5ZL+uvpUzkUea6XyPq"
    "Pjrkq8Tt4CnE1wNsHZHJTbAc7mPmq9irP5EG5qrOplRs3BvdzoXkI9HEhPTBkGeRugI9+t"
    "i0w4Qo0o2q8IGG0I1SYEdxioja8kIa9rqu4sVNssjAc722F7bXtQwfbaylAtsb8g0rvfEi"
    "rhcX+KO9MJrq75iwRqBUxGGtdyTsPIaLRdeuPH+Dzy9WNGPwPpAaTHIMb4QN1fID32UetV"
    "SI9lamWo6qGnpTT009snQeTSWm/9SohAQK48ILcyKraMxq2iPsOEdGMYLvFB9SkGd8t1dO"
    "m+N4kT+MpgXLpBqQVLeVODuMYsbFy58sksPEpRiL8m7hhZXuBy/YtjFaMjFU03/M1yCHYZ"
    "4lMs714UIUFs7nuMORjdByLO6d6rap60/wAIHvZgTgI7ep8sKrCj91HrVexoOYXXMaFjga"
    "6s55eLIB5NKpV0n5SUdJ/kglzhqmhEq2IdpPOS+kHejr9SI/TSpT2YLbGosAgVVRiLbUJl"
    "BcgKRqGLrkV6Hrr3TW6PcTtMdPGAkckQYRQtfe+R2Nj/K6LCXrt75nYaRk+e/8CNOMrvjN"
    "HTnFhzZJnciHEpNh2FYdjRQ8A4BOMQzAQwDkHrPTAOV5N4LYo1IaMhwdr+Cd9i6ePjY70J"
    "uGoeVE5QC7h3nRa1QlFdw6LkcLaMnBbgdx1MiEDz+SxUd5tPRhACC1lomcmCWv7lWmJnfu"
    "VoiV1bYJGDMnmjpyXuGMOLpaq2fOE5VEmRQZ9ANTk8fnd8cvT2OD54Kr5Sdt5UvoaNy1cz"
    "I4KlgTGpENfQohyuBZl3HEQVfAP7vqcwIotNm7QU1D2tb9YkD2mvudYqRGG1LQ/jJyHLQ1"
    "07nH+d6W6YEG8M6ys+tD6F9z9TyT/mOFx5fVxG3Aa8BWyxBSIUiNBBUWJAhO6j1ocQJe/R"
    "NttOguRLk9Injy/YdUtm5QQ1pOEmX39dAXHeqhBxeS+N+Iw/uPY5LCkhHZGutMt5UrLLeZ"
    "Lf5SynAuMR+4R32mThUHYAtaz6s1zkrQQoQN7dPusMzvGBkaa9aLK1PS8PO9wHvMO9n5Na"
    "+VbkqMrYthBpWZEtA5TLjJcpBzDE7wqqAVSGypMnUYmIKN4SK5kVeSs60hYrFxvCxCxMWa"
    "kFl4unvK+4Wr4ugHVJTCfOJ1fQ0+nTy4tJankitbE+Lx24auCqgaseCmsJXPU+ar0KVw1V"
    "C7utWkifKcMLY+l7i6ViYJXk62YFtUB814ktfKTwScdVHDNbjHxSBspFVsN5ORd2vhsIz6"
    "9WRCYj10ryVo/iX5XCXyXRr3zwSxridSCOBbSYQNLwHleB97gY3uMcvI7p3gfczamDcFJG"
    "Q5DbT46GgMduAh5CjZbpOIYd+GHeHMX8Rew6WemlfewuTf3w5CCXqb661o9kdd61S2fYN5"
    "hXZ/LIiOmQvZxJAalkVh+VmNVHebMaEpYhYblvLO64/YTlBCcXUOYt1kfCbxn9Ezzuuezy"
    "fdSjRopIT8tw6PFGjMT6viVG57yL4a1ULxKQOcU+seYjRTAmujMuC8SY6za9CcEUGo/K5V"
    "VhJUafRX+TWluxFYsjLo/Yr1ucNiGioc/ZSRarGFQ1EI6aa4huJ0w3fyKLwshphP95e31V"
    "EC5ci2SjRsRi6HfkENqZR/kyRrgAo5x9zRKtGWtddHD20lXM/vg/7/MjKA=="
)
