"""The gateway's composed read models: one module per view family, fed by every service's topic."""
