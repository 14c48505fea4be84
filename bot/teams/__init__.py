"""The Bot Framework side of Teams: the adapter (authentication, connector clients, openid
keys), the activity handler that turns activities into :class:`bot.chat.replies.Incoming` and
sends the replies, and the Teams app package. The only room that imports botbuilder, with
bot/delivery/ (proactive sends). May import bot.chat, bot.config, bot.store; no feature.
"""
