"""A signed-in visitor's LEAP 101 module page against a minimal Wagtail page and a bare Django view.

    .venv/bin/python bench/bench_module_page.py [--seconds 6]

Same daphne process, same signed-in session, same run: the module page (progress bar, knowledge check
with the visitor's last result, role-play scenario, reflection), the home page (a Wagtail page with
one rich-text field) and /health/ (a Django view rendering a template). Budget (issue 3): the module
page at no less than 80% of the minimal Wagtail page.
"""

import argparse

from harness import Daphne, emit, load, load_problems, manage, seeded_env, session_cookie, smoke_or


def module_path(env: dict) -> str:
    code = ("from courses.models import ModulePage;"
            "print([m.url_path for m in ModulePage.objects.live().order_by('path')"
            " if m.body and any(b.block_type == 'scenario' for b in m.body)][0])")
    url_path = manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1]
    return "/" + url_path.split("/", 2)[2]  # drop the root page's slug (/home/...)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=smoke_or(6.0, 2.0))
    args = parser.parse_args()
    env = seeded_env()
    cookie = session_cookie(env, "visitor")  # Ana Ruiz: 4 of 7 modules done, checks answered
    path = module_path(env)
    server = Daphne(env).start()
    try:
        results = {}
        for label, url in [("bare Django view", "/health/"), ("minimal Wagtail page", "/"),
                           ("LEAP 101 module page", path)]:
            results[label] = load(server.port, url, seconds=args.seconds, cookie=cookie, warmup=smoke_or(1.0, 0.2))
            r = results[label]
            print(f"{label:<22} {url:<48} {r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.1f} ms  "
                  f"p95 {r['p95_ms']:6.1f} ms  errors {r['errors']}")
    finally:
        server.stop()
    bare, wagtail, module = (results[k]["rps"] for k in ("bare Django view", "minimal Wagtail page",
                                                          "LEAP 101 module page"))
    problems = [p for label, r in results.items() for p in load_problems(label, r)]
    if problems:
        emit([])
    print(f"minimal Wagtail / bare view: {wagtail / bare:.2f}")
    print(f"module page / minimal Wagtail: {module / wagtail:.2f}  (budget >= 0.80)")
    emit([
        {"bench": "module page", "metric": "bare view req/s", "value": round(bare, 1), "unit": "req/s", "note": ""},
        {"bench": "module page", "metric": "minimal Wagtail req/s", "value": round(wagtail, 1), "unit": "req/s",
         "note": f"{wagtail / bare:.2f} of bare"},
        {"bench": "module page", "metric": "module page req/s", "value": round(module, 1), "unit": "req/s",
         "note": f"{module / wagtail:.2f} of minimal Wagtail (budget >= 0.80)"},
    ])


if __name__ == "__main__":
    main()
