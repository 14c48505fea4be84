"""The framework's floor: a bare botbuilder echo bot (CloudAdapter + ActivityHandler), local mode.

    python bench/echo_bot.py PORT [--patched]

``--patched`` puts Rutinebot's connector-client fixes (bot/teams/connector_client.py) into the same
CloudAdapter, to show what they save on the bare framework.
"""

import sys
from types import SimpleNamespace

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext):
        await turn_context.send_activity(f"Echo: {turn_context.activity.text}")


def main() -> None:
    port = int(sys.argv[1])
    settings = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
    if "--patched" in sys.argv:
        from bot.teams.connector_client import reuse_connector_clients

        reuse_connector_clients(adapter)
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main()
