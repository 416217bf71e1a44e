"""Reference data more than one service reads: Bắc Kạn's administrative units, generated, never typed."""
