"""In-app notifications: a bell with an unread count and a list that marks read on POST.

A notification names a *kind* and an object (type and id), never any post text: phones
are shared. Features register the kinds they send in :mod:`community.notifications.registry`.
"""
