"""Slack as a channel of lib.notifications: the reminders set on tasks reach the user's Slack
too, when they connected it and left "Reminders set on tasks" on. Registered in
SlackConfig.ready(), so that neither lib nor the tasks app knows of Slack."""

from lib.notifications import Notification

from . import services

NAME = "slack"


class SlackChannel:
    name = NAME

    def reaches(self, user) -> bool:
        return services.reaches(user)

    def send(self, notification: Notification) -> None:
        services.send_notification(notification=notification)
