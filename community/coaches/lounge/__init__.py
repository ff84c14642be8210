"""The coach lounge: a small forum where coaches and moderators share experiences and advice.

Its posts are not public and not moderated before they appear; anyone in the lounge can
report a post, which puts it in the moderation queue.
"""
