"""The channels and background services `python -m bot run` starts."""

from __future__ import annotations

from bot.channels import ChannelFactory, ServiceStarter


def channel_factories() -> list[ChannelFactory]:
    from bot.adapters import zalo_channel
    from bot.adapters.telegram import telegram_channel

    factories: list[ChannelFactory] = [zalo_channel.build_channel, telegram_channel]
    return factories


def services() -> list[ServiceStarter]:
    from scheduler.setup import start_scheduler

    starters: list[ServiceStarter] = [start_scheduler]
    return starters
