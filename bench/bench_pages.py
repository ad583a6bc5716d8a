"""Requests per second of the foundation's pages on one daphne process (DEBUG off, SQLite).

    .venv/bin/python bench/bench_pages.py [--seconds 5]

The home page (a Wagtail page) signed out and signed in, the sign-in form, and a signed-in Django
view (the profile page), each loaded by 8 keep-alive connections from this machine.
"""

import argparse

from harness import Daphne, emit, load, load_problems, seeded_env, session_cookie, smoke_or


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=smoke_or(5.0, 2.0))
    args = parser.parse_args()
    env = seeded_env()
    cookie = session_cookie(env, "visitor")
    server = Daphne(env).start()
    rows, problems = [], []
    try:
        for label, path, who in [
            ("home page, signed out", "/", ""),
            ("home page, visitor", "/", cookie),
            ("sign-in form", "/accounts/login/", ""),
            ("profile page, visitor", "/me/", cookie),
        ]:
            result = load(server.port, path, seconds=args.seconds, cookie=who, warmup=smoke_or(1.0, 0.2))
            problems += load_problems(label, result)
            print(f"{label:<28} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                  f"p95 {result['p95_ms']:6.1f} ms  errors {result['errors']}")
            rows.append({"bench": "pages", "metric": f"{label} req/s", "value": round(result["rps"], 1),
                         "unit": "req/s", "note": f"p95 {result['p95_ms']:.0f} ms, errors {result['errors']}"})
    finally:
        server.stop()
    emit(rows, problems)


if __name__ == "__main__":
    main()
