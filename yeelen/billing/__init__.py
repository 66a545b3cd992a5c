"""The billing cycle on the operational side: batches, simulations stored for approval, issue."""
