from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "plans" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(100) NOT NULL,
    "monthly_price_cents" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'usd',
    "credits_per_period" INT NOT NULL,
    "credits_per_minute" INT NOT NULL,
    "billing_increment" VARCHAR(8) NOT NULL DEFAULT 'minute',
    "stripe_price_id" VARCHAR(100) UNIQUE,
    "is_active" BOOL NOT NULL DEFAULT True
);
        CREATE TABLE IF NOT EXISTS "stripe_events" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "event_id" VARCHAR(100) NOT NULL UNIQUE,
    "type" VARCHAR(100) NOT NULL,
    "stripe_created" BIGINT NOT NULL,
    "outcome" VARCHAR(32) NOT NULL
);
COMMENT ON TABLE "stripe_events" IS 'A Stripe event processed once, recorded in the transaction that processed it.';
        CREATE TABLE IF NOT EXISTS "credit_ledger" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "amount" BIGINT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "reason" VARCHAR(300) NOT NULL,
    "reference" VARCHAR(200) NOT NULL UNIQUE,
    "balance_after" BIGINT NOT NULL,
    "data" JSONB NOT NULL,
    "call_id" UUID REFERENCES "calls" ("id") ON DELETE SET NULL,
    "created_by_id" UUID REFERENCES "users" ("id") ON DELETE SET NULL,
    "organization_id" UUID NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "credit_ledger" IS 'Append-only. The balance equals the sum of `amount` over an organization''s entries.';
        CREATE TABLE IF NOT EXISTS "subscriptions" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_subscription_id" VARCHAR(100) UNIQUE,
    "status" VARCHAR(32) NOT NULL DEFAULT 'none',
    "current_period_start" TIMESTAMPTZ,
    "current_period_end" TIMESTAMPTZ,
    "cancel_at_period_end" BOOL NOT NULL DEFAULT False,
    "state_event_created" BIGINT NOT NULL DEFAULT 0,
    "state_event_id" VARCHAR(100) NOT NULL DEFAULT '',
    "plan_event_created" BIGINT NOT NULL DEFAULT 0,
    "plan_event_id" VARCHAR(100) NOT NULL DEFAULT '',
    "plan_id" UUID REFERENCES "plans" ("id") ON DELETE SET NULL,
    "organization_id" UUID NOT NULL UNIQUE REFERENCES "organizations" ("id") ON DELETE CASCADE
);
        ALTER TABLE "organizations" ADD "balance_alert_state" VARCHAR(16) NOT NULL DEFAULT 'ok';
        ALTER TABLE "organizations" ADD "stripe_customer_id" VARCHAR(100) UNIQUE;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "uid_organizatio_stripe__61aa60";
        ALTER TABLE "organizations" DROP COLUMN "balance_alert_state";
        ALTER TABLE "organizations" DROP COLUMN "stripe_customer_id";
        DROP TABLE IF EXISTS "credit_ledger";
        DROP TABLE IF EXISTS "plans";
        DROP TABLE IF EXISTS "stripe_events";
        DROP TABLE IF EXISTS "subscriptions";"""


MODELS_STATE = (
    "eJztXfFz2zay/lc4+uUlM0rOlpzY7bu5Gdt1Ul8dO2MrfZ1rOwxNQRKeKVIlQDu+Xv/3A0"
    "BKIgmQIilSJqGduUttEgvS34LA7reLxZ+9uTdGDnl7OkUuPQ8I9eYfAtem2HN73xt/9lxr"
    "jtgPec36Rs9aLNaN+AVq3TtCzuICpi0kzEkkIppY94T6lk1Zq4nlEMQujRGxfbyIHt47NU"
    "I5YylnIJf3OzbYjxb7H+/7Le9r7NmsM+xOy4kFLv4jQCb1pojOkM+Ef/01fGN+dyne+/13"
    "9ht2x+gbIrwN/3XxYE4wcsYJkPBYyPHrJn1eiGtfvlz+8EG05O95b9qeE8zddevFM5157q"
    "p5EODxWy7D77E3Qb5F0TiGkRs4TgTu8lL4Z7AL1A/Q6lXH6wtjNLEChyPd+/sKFPEk/s/R"
    "P6JXizUzzeubkXl3MTLNnqQY/gop0KNLNtMtUyp2KQfqz7/CfteAiKs9/oDzH09vXw3fvx"
    "YQeIROfXFTwNX7Swha1ApFBehrlG0fcUxMi8po/8DuUDxHasSTkinkx5Ho2+UPVTSwvLBW"
    "wXpsL8FdwtcA4D32B45vXOc50n2OAkaXny7uRqefPvPHzQn5wxH4nY4u+J2BuPqcuvoq1J"
    "fHPtvw6151Yvzf5ehHg/9q/Ovm+iKt1VW70b96/J2sgHqm6z2Z1jg2TJdXl6ixlmutB4tx"
    "Ra0nJUHrbdH6EqOY2qO3X2s9XD7KzatxmTpn1xfW8jaT6RrQ5fRfEtOUGMCagtXzp5aL/2"
    "1VgFYhCvAyeLmVNXlQWgBxyGSoP3g+wlP3J/QsAL9k72O5NlIAGxm1N6nuugnx+up6RfWt"
    "p5WZqhpo7AeGAKICjfPTu/PTHy568gRcA8Y/e9hGp8vONEU4vvJshnYSc6C2RFf2yDRFOL"
    "UOqUHmM8e9ZT88Wf7YTEwh/I438FJXVm3lW/PBPH3Fcpmax9Ffwt877hqPPM/pZfnN4mZ/"
    "s7dMWbvCLjJvrHJw+8YTpjMDU2IwVCd4Gvjiy2cNxgZBFm9OEPOIKFG50HV1m+9i86eAew"
    "3udUdmqY46WuBe76PWi7jX4RQua/yfdzfXGd/4SiKtaWxT4z+Gg0ljFl5sdr0PsEOxS97y"
    "x77EBMsRSij5+ufTWzHrfjr9JaXQ6/Orm7O09ngHZykvkiCXYIofkZmlmBH6RtWKUcmmVM"
    "T+tAKqiWaLtnx9eV/bxS+jfB2sPrarm+uPy+ZpxaR1wI2XaGU0CVLMh9lfh1K4HR8Kf542"
    "H0rgEmb223zZScSUiuopSx5UVbuqMDEjN0JW0Bkz/5HlZtjvCcGUZu4jV6oJlSyt+jj4K0"
    "u/bszPbm6uEpifXaYnqS+fzi5uXx0KBbBGOPR2L69HaQ6SrfQz07JtL1BRNuczy89gINOC"
    "OqwbzFH/ZjrIndIZ+3U4OMhRwnKYs1bpYR7dGoT3VICz57rhVFLedlb3UIMN3TJldNdklj"
    "2lUGfo2wKzTivrPCkPGm+zxl2EmDXno+g7LbmOKaR3uJitrsR1rCYTW7acrRBj2FlERZNn"
    "r2gqWf0WtcFBkUWNtcpc1MS9JOwQcYfQcJfg5SGEkrDGRABOiLRDpL17CJeLtNPIwNoS2c"
    "+ORSeePx81aK+1ANvY9Fg2vp72khiiFCmYubNI+sNPt8hZzQYZc8Yp6+mOd6QR5n81momw"
    "wGxQ91RpCOGdfm4OwgKbD+i5WAJCNhCKwD/E+SHO34mvtqMRX4jz76PWi8T5xX8lfWfzJ8"
    "v2lTiT1uk1QZocFiJNDnNIk0OZNFn4aIK/lUF4LVEPxpvXrN0h/L4IwOmvIYbv+zS8zBwx"
    "ZxaZlQE4LqPhMH5/VADk90eZIPNbSZAdi1AzIJXWhrQsxDPasxjINoCPHr2HSnpOSoKW26"
    "zlpZV+/1ySHpUEt/CtuqNfYPTbAq/vOagkrDERgBMY/ZYw+nxU1gDxbdSNptDGvt0EpLds"
    "Bby9PB/1Mla1GpD9QlAHkwCKAiut4wl42VsY11+url5suxxn9REhWYVmYrf7uXS1iDOELQ"
    "tumrtxkUHYQEHjN9g1xugR24hBOENMYI6dZ8ObGL5H2cfuTg3mp7O5dWZQZvi6xLhHM6Z2"
    "AyvqztTT7W/ub+6pbbM/aHnPtnz/WfQT/ZkGHvcN4hnCGuedxe+94q/wxguo4fmG9ZvrI+"
    "6XJZ/32kDumIhNfFbiURaTYl9M1s49IPCBwO/E2tNRKhcI/H3UehECHyibfaBslrqqkvCa"
    "ltQv3fWoSODmKDtucySFbWwH8zQipiGmREWaSjbesqR+eNcfYmCWqG9m5LllY52U0g/nYa"
    "GI5DAnIjmUI5ICtHJ2eEwESLR8Ei2IiIPd8A8thXQjAREbUNUTCSPH1Qw9VBn0MqmEt2Ff"
    "I96VRrg3mkx4bjnKikbiej+PmbFZC8giBBICSIhOuaNAQuyj1ouQEGPso4yKhdnWe0JIw0"
    "SskwK2+0mm5X6Sttsnvjc33WB+rzIws1FOiWmI83BQqIBDTv2GNNR8oJcGOiEEMBeAme8B"
    "CkqRK2uJpgDWKTkWsb+qCmWYltOPWKmfwKJP2MGeyT0bk6gcjJyJQxatBfEWJX43kJOMH9"
    "EDpqbvefMyYKfldEP6cFDE7GCtsueRgWR6ENdakJlXruBdTKYdxdO0KghpueQJ+ZUcrZQo"
    "BP7a41jJ/nS4FpdXclwONNxmDY+jOukm4aWJxgp7+NLNqOyqEk0pGxcq9tAy9bLXZf95Mz"
    "g8Oj46Gb4/OmFNxHuurhznjAC5YJTYhIQeeVyWoD9KACwLVoK30hJ2kAb3oD2AvmApqJYN"
    "Vc32jWiDbmv3ObQTYY0KF3UU4My6RUXS8WP2Il+stgyG8wDuxaNeZaKS9gAaT5Fvsr/Qx9"
    "sWITpnnhSmV6LHC9bhsz5DtPHsgXCQZaQQrEZgfh6BuR7x9WYT/Cq65/1y0w+OIoLkgm7M"
    "gB0NM0NywT5qvUhyQTmXfed+eod4EIGGBGVOZCpqr2E0u/4tA55tB341Rj4lquH01N3pSE"
    "HYMqOkTCRs2R6iYLVHwYQDULKGzVoE9jIADdkwujk05NK73JIbW2bbd3PAbi5Vsf5cN/ON"
    "wOw2yey+TDUQmV9T8UUqEi6HNxLNzZAGLMQc9U4XC+SO33jMw3prjGbIuLccPnoM9EfAJM"
    "JCG8GcV/L4as35cWlfDe8R+fx47DjC/0OMiHZUnK3dzDNgp0wLFoI+kFl7RGsAmbWPWi9C"
    "ZoXztiLkhKeZlNZaRidW67vBYDg8HhwM35+8Ozo+fndysKK35Ft5PNfZ5UdOdSU0KnNfD+"
    "yvLcN9LdtryH3Vv9OgSlmSrXYXtBvgRuo2+GiCfBQ5LMVhjglpV0++kWMOI6PbtCZUtQEs"
    "b6KWRGG+rjxfA8uaqZC9YVnbyahsSbJC9fWmkG0Nfd22GVzDNNqWQtxMHu1uQwXtnBsqRw"
    "rW+bNQLVzDauHnAaHe/ENkgfVUwYFki35uZEC0NZcGXcGy4acS/+49ucaPo9FnY2Uavnqa"
    "8RranIE3FtFxsbyCt+MY4UNXTclrRWigiScok17T07oAE7JfIWDQjXW4o9QxBAz2UetFAg"
    "ZwQGeDVUTiryVhPELfsvZdJ8W0gDrvk7n4ZZRPKq2+mKub64/L5mmmKXUwquWznyjyFfuv"
    "slm+pBRwfbVzfQzcmVcqULaW0OI7aLSGX+A7JkVzbp2XmtTTchoiPTgoGszJjeZI4ZwZsw"
    "xKTjIxEZhhap9hCLIcZosSxHwRamaqJ3v1zexAhzp1u16GEyia/GqpTyVDvB2fDX+eNp8N"
    "98y8gGZXCfrgeFbGF6OQTWlowoWb0s3hwVupmM3yWu3g/3Dz5ezqwvh8e3F+eXcZKWLl0I"
    "mb/BK7gJenSZ5epbDGxLTYWHpUrNFnnucgy83gs+JyKYTvmWBTAC9JrjjAK+KrboDPbm6u"
    "EqP77DI9z3z5dHZx++rwdRJoOcYPATsI2LU9+lHD9ohUQZwtC46IOjhyTEMT+ButOXIxt7"
    "BzE9B771tPESiK3+7nRYkQb2h665ZwjAnEWiDW0hHWHWIt+6j1IrEWdqfCiY9JKQ2pueGg"
    "UDr7ICedfSDxclVoUM0p0PrjWyS4/39klzpTMyaiIcSN7Myg6Bs1772xIpUsm8VMCGmB9K"
    "6pyxmdO6VhTwgB7FUY4y6c2tPjO+k5ahLo8Rvt3ExnUb7OqWiC7B2iMRGoUM6vuHx6jWCp"
    "YMUrxHdjyu9yM113LXfZYQsr9fu+p9iyl70aJKUgflghjcf3HjGP/c2Z/2NNkZLGz14aMs"
    "R10ERqmShkeB7mGJ6HsuFJeMnw8pNbTAyOhmnzpGY7FtPB2AxcihUbgDbQj2lh0HXbdC0F"
    "615mC82l+4iplbV9Jna3nxcUwat2cLQ7xEQgJtIpdhxiIvuo9SIxERHrLmPSrwS0YNd2EQ"
    "nxHpBrziwyKxd1iktpV9qn/lgI+rbA7LOocpZmQlLD6au705W8Slm2jRbVlqmUKPhLbdaz"
    "jx7ZDFhFzUlJ0HKbtSycyirFkiRBKJYEudc7hNf3HDUXng1rTATghFT2F0xlTw/kGiC+jb"
    "rRFNrYt5uA9JatgLeX56NexqpWA7J6F5+S1vFWFZ/6hOb3yCczvOgpmPPY3X4ecz5ftWvk"
    "GNMgGiCJSRMqOgGj3o0puKPcKjDq+6j1Iow6eF7geXUHTm49lIQzJgJw5juyS9tsNz5ASy"
    "Hd6ATEBlTbDwHsKsTADbwgN/AyzuvNaUBnd9QSbyM5r7G7/Tzn1WOmzszkWzxQ0WrJBmvt"
    "MzUb4hnGxPGevg8PN2RwO+gN+9wN1+MHH2KX4DGK7k1dJvJVPOmrokJyXb1C9lkLlsw++M"
    "p75DWBr7yPWi/iK4sJu3RuVFIKcqPE352XG2Wzdd18RD5mPSr8kWykJUENk/4OB0WqwLJW"
    "2Vt3BlIlWMhGq2I1tHz6UqxapNqSRSA/qRP6FQXdmK/glT0gTxIEpgyIxx0Sj+vxVwOBI0"
    "oSjhoscNoCFkf6YDfTY0Du1kLuvhA75qIRW15HfJtFT8WPxe/3cxkyF5l8pTbFlo2CJNnd"
    "irTqG8LiY78bYQcG32CDxuw3wzIWyCee+70hdt0YoSVuCxa3bywsQp48f2ywWQFRmTJr6B"
    "lAoLVg6u8DgbZHVAoQaPuo9SIE2iLwWY+lqizGRDRkc4aDQjs4czZwwv7NF+EogTGrYia0"
    "fL4CxmwP9Qu0zgalQj7ZflIO8VQzFeWQSkXLoRxiLaEaE7jz4M53yrEDd34ftV4oHwZOA4"
    "8dGFvAxRzkHxcrVVR1gmkZfJftwX/f6L937az1nmwFNOTCNVGX+QndE1zudJWYSFdR3sFh"
    "H/cBwS4ihL0xtbBT6rRclWw7jsrV6oRpOL41B/Eaj29l7sMYU/PecpZsQgpsPM08sUKW7f"
    "S5Fd8NBsPh8eBg+P7k3dHx8buTg9UBFvKtvJMszi4/cqATCpGR5y+1QKYtTgHN4NPyzmNR"
    "SddSc79FFkwjFfej8WpaDvJpuOupDPIZ4jtcbr0HeZaPrrXnNByJ4Mzm49IZbeGgNpcrHJ"
    "y1m0OLZmSy1oGZZsmASaQW2HxAz9vCtMA/oWddMbItZ9txdM666GyobjM6Jnrc/ixwjtEF"
    "70dToBw0nqoCWqUwEpbmlejpwqW+vt9crUvffqx6qUNLqsOVPCVFR6hSVeqqQ5Usi6cjVG"
    "FuF68zbdcxtkSO+e2qN11RExbollD97GEbCQtUJ5RKJR0kTn/OodyXsPKNDB77ZzO4d6n+"
    "NDE4SmZpfGYufE+RnSGu9/OyMhasBWRjQDYGZGN0Ki4P2Rj7qPUi2RgPSFHAO5v9jZpDrk"
    "CK9JVzBSDNpdkwxtxz6cx5Nhc+M5dNW213Z8buMqR3F8BrEvyaz6G3A99Hrl1qnojL7DA0"
    "FJDlqygu1pKPUSQbIzsXQypaJIg9Yi6Qz/+PPYV9uyH+nBaGIZwZ5g+hmmM3UIU8C+G8Fg"
    "acFTjfY8dhzzOxy0CbRxRG4ciySniHk8dat0moY9frmEKKVOLKrsMlVeGKMiHChaxSEkVc"
    "FDIoCpgekJzVXHJWpbyJOEu4JfuqMUHY1J6vzwzTiefPRcKEmlVc3+9vYBdFy3UOR5FSzL"
    "yxYTsWIQZ2Ddvz0d+E/N/wfOGIhSSMYPQNixisGTXIs2ujsfHq6yPn2kPSXnRDxK2vr1W1"
    "mZt6DNChQIcCMQZ0KGi9BXToy7J2LTKcG9g8hQlb35/NshCn5YAgLealdG2zWvNm8c52rk"
    "VpbBU1oJauxTPfMz2Ic10EYiXmm4SQFsO/if0NEszsmROs2HicvZUwJQa7CPPHf4VdhCG4"
    "JrFnaG6VUY0kCMqpXTkEMfeQmpV1lCUPqqpdVaJk9iopvYKuMjtoh7L487RRFrDzu9k6zf"
    "F6tHD4t5eHOi4KaG9EO+SSK7BRCUGoK9ke7imkHLfYJwwbXXcf67pFE6bwWeaRCon7/bxY"
    "lx+2LHOiAqTUQwwJogktmdEhhrSPWi8SQ4Ji+juJJ0ExfW2N4riafY9WnEOTkuD6tFnLBB"
    "HC/vySVfWTUlBYP7+wfoSWDHD5wxIDOrtb99ZNcDeW2E+OrjZV2b/1BLCy9+mFfFqO18la"
    "gLMJziY4m51yO8DZ3EetF3E2Yf827N+G9MRdbA+UbYCGfLcmMuEwMaNovyJgtCFUGxPcYa"
    "B2dSUOeVlTtd3b1qAKqzqAB9UNobphs1AtkD/HwrvfEirucX9edaYTXE3zFzHUMpiMJK75"
    "nIaZ0mi99Mav4hliFKzf6XcgPYD06MQ33lH3F0iPfdR6EdJjkVgZinroSSkN/fT6SRCxtJ"
    "Zbv2IiEJDLD8gtjYoto3HLqE83Id0YhosNqDbF4O6Yji7dDxZ2Al8ZjEs2yLVgCWtqYtec"
    "hI0LVz7h7dHY4OJvsNs3bC9wmf4NNtMZaM5uGpYb/mY7GLnUYFMs654XITHozPcodZAxDX"
    "ic052qap7U/wAIHrZgTgI7ep8sKrCj91HrRexoMYWXMaFXAk1Zzy8XQRwOCp20O8g5aXcg"
    "BbnCVdGMVsUySMuS+kFej79SIvTSqD0oimmGJ5mprMHY7XxbMCzKuT5arYghGPZuCCFj4X"
    "s2GzPMTPOY39A3fGR7/pj9il1mlCGmcMslVmim0JkVF8BUZQXW3DuYgGACgjEAJiBovQ0m"
    "IJ/US9aNjstol0nWSLJT2RpUOpefagLfyGiKlh8Z6TM8zSzvL8vqVNr/u8FgODweHAzfn7"
    "w7Oj5+d3KwqvEv38or9n92+ZGnOiV0Ipep8AJqe+USJ2MiGg734aCQV5njVLbJx4kXR1c5"
    "Oani6TleTrpiO+xHAX8C/ImuWJbgT+yj1ov4E5E1FZ/fq51Ko+gBDqcpZApbNChFNa8ldr"
    "ibwvVcxVFLq6vtMb3kk/BodNqayYDzyy9pGX1AfYL2zGryYpbSGnIVU1opvUc9gNZbrXWe"
    "eOUwOyRX77n7p7K6gJ1URYpe8gIuYSisKrej7GB3BM9BGveDLVa3F2F04hCWNeTSkl3drb"
    "kDs23hWO42I10tDwO9+ECPIVhunEuCMMzzh3k51i0msgX11h0raSPRFmPb/anl4n9bmV52"
    "NqoK0d0Sm60ENydZnw9DGeDSyfqfo246OVw35urHvtVErj57vnH95eqqXLK+eqDLSrhx0c"
    "hj/xRUwU2qsy6O7Y2aUHzfBXZPbBUdEkWvb9GjZ1tZAaJ0k35ejCisiOqvWhfNhnONG16g"
    "zpj6lkv5TgTexQMyLGpgSng+2iMeI/9/DcLz2e6fRdrak+c/IN8g7E7feJphe2Yw180IXI"
    "IsR5EU19BDIJbVglWgD7GsPYpqQCxrH7VeJJa1nMRLOYMxGUhnKRBT4Usf+z7Wx2Akkc6u"
    "BCYJagF33ufTRGGwJYrqU5xyyL2UnBbgN72dPgLNZ7NQ2ULXKUHYWt+BsLdsAC+QO+ZYSF"
    "DGb7T0kFdK0XxBFRBnctJxkU4z0YPDo+Ojk+H7oxUBvbqSxzvLHLPLVjMzgqWCMakQ19Ci"
    "7K4FKTsOjkWoiXzfUxiR2aZNUgpO/i5v1rSXGW+vIqpz4/n0bGmOfFuCth0QN0TR7izZ/w"
    "sR/KPE4Yrr/TziNmAtIKkfiFAgQjtFiQERuo9aL0KEvnSdmBbl7DdSJmZhEfLksQW77KGR"
    "kqCGNNzg3bsCiLNWmYiLe0nEJ+zBZtkjPhJCOiJdKONrkJPxNZAzvsRUYD4iH7NOqywcyg"
    "4gb749y4VsJWBi8gpAj4qva9NhI2u5HWbIL5eTuFpXS0yL8+MZXgvHohPPnzP1zKsc7iLL"
    "w86EDp/x0s5JLf8wjuiczW0h0vJM0iSZjMZT5JvIZX2hLeE699EY0yvR4wXrUN/BxdPyX+"
    "QQoS7CBWcIFYbKYybQzBSbnLbESmSS3vGOtMXKRSY3yzPTfErB5aIR60vkEusEWJNk/s8e"
    "ttHpNKM4aexuP4/Yf+TtTGtauDQp8PvA7wPT2xLXHfj9fdR6EX4fzjpuuCbPM6Fobi58b7"
    "5QfFg5Oc5pQS0Q33UyEPtS2KQTZlcWRT4u09X93LvGeTHjdr4bcM+vVBQrJadbna9CIcOc"
    "iKEcMBSGeBmIVwJaTCBJeI+KwHuUDe+RBK9judOAuTllEI7LaAhy/QnlECTaTZCIq9G2HM"
    "ccB36Ya0gQe5FxmUz+3D52l9p/eHIgZfcvr7UjwV+cfjJBvkm9MpNHSkyHjO9U2kwhs3qY"
    "Y1YPZbMakrwhybttLG6//iTveBVKQr25uSQXt42Ych73XHT5IepRI0Ukp2VmF9SB1qhB++"
    "KlMeLr+7ZBZdZF91aqFwnInCIf27OeIhgT3ennBWKsdZvWhGAyjUfl8qqwEqNh0d5E4Fps"
    "xeyIyyPyyx5pHxPR0OdsJPOXf1QlEI6aa4huI0w3eyKNwshJhP95d3OdES5ci6SjRtimxn"
    "8MB5MuHsCUAy4HI599TROtKWudd3D20ucC/fVf3J2Amw=="
)
