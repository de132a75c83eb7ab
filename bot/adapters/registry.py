"""The channels and background services `python -m bot run` starts."""

from __future__ import annotations

from bot.commands.run import ChannelFactory, ServiceStarter


def channel_factories() -> list[ChannelFactory]:
    factories: list[ChannelFactory] = []
    return factories


def services() -> list[ServiceStarter]:
    starters: list[ServiceStarter] = []
    return starters
