"""The billing cycle per period: batches opened, simulated and controlled, issued once approved by a user."""
