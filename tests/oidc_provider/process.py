"""The test provider as a process the tests start (tests/integration/test_sso.py, tests/e2e)."""

import json
import subprocess
import time

from tests.support import PYTHON, ROOT, free_port, port_open

CLIENT_ID, CLIENT_SECRET = "hub-test-client", "hub-test-secret-0123456789"


class Provider:
    """tests/oidc_provider/serve.py on a free port, with its own SQLite database in `folder`, its users
    ([user name, email, first, last]) and the Hub's client, whose callback is under `hub_url`."""

    def __init__(self, folder, *, hub_url: str, provider_id: str, users: list[list[str]]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.provider_id = provider_id
        self.log = open(folder / "provider.log", "w+")  # noqa: SIM115 - closed in stop()
        env = {"PATH": "/usr/bin:/bin", "PROVIDER_DB": str(folder / "provider.sqlite3"),
               "PROVIDER_CLIENT_ID": CLIENT_ID, "PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
               "PROVIDER_REDIRECT_URI": f"{hub_url}/accounts/oidc/{provider_id}/login/callback/",
               "PROVIDER_USERS": json.dumps(users)}
        self.proc = subprocess.Popen([PYTHON, "-m", "tests.oidc_provider.serve", str(self.port)], cwd=ROOT,
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not port_open("127.0.0.1", self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                self.stop()
                raise RuntimeError("the test provider did not start")
            time.sleep(0.1)

    def hub_env(self, name: str = "Test School") -> dict:
        """What turns the Hub's single sign-on on for this provider (README "Single sign-on")."""
        return {"HUB_SSO_OIDC_ID": self.provider_id, "HUB_SSO_OIDC_NAME": name, "HUB_SSO_OIDC_CLIENT_ID": CLIENT_ID,
                "HUB_SSO_OIDC_CLIENT_SECRET": CLIENT_SECRET, "HUB_SSO_OIDC_SERVER_URL": f"{self.url}/o"}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
