"""Written by tests/tools_framework/test_tools_sync.py and deleted right after."""

from livekit.agents import RunContext, function_tool

from core.tools.base import BaseTool
from core.tools.runtime import CallSession


class ZzWeatherTool(BaseTool):
    name = "zz_weather_20841c905f"
    display_name = "Weather (test)"
    description = "Tells the caller the weather."
    config_schema = {
        "type": "object",
        "properties": {"units": {"enum": ["metric", "imperial"]}},
        "additionalProperties": False,
    }

    @function_tool
    async def zz_weather_20841c905f_forecast(self, ctx: RunContext[CallSession], city: str, days: int = 1) -> str:
        """Tell the weather forecast for a city.

        Args:
            city: The city the caller asks about.
            days: How many days ahead, 1 to 7.
        """
        return f"Sunny in {city}."
