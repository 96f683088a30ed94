# Device regions (checklist case 19), reset and device-request (case 21) in the lab.
