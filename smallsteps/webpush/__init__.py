"""Web Push, the transport: VAPID keys and headers, which endpoints may be reached, sending.

It knows nothing of people, plans or the database: callers hand in plain values (an
endpoint, a device's keys, a payload, the settings) and get back what happened.
"""
