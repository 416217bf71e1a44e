"""The smartphone donation campaign as a balanced, transparent ledger."""
