"""Domain logic. Never imports Qt; views call these services and nothing below them."""
