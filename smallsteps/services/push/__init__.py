"""Web Push nudges: endpoints and keys, the nudge plan, VAPID, sending and the dispatcher."""
