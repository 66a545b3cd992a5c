"""Every mapped table of the operational database, imported so that the metadata is complete."""

from operational_api.accounts.models import Allocation, LedgerEntry, Payment
from operational_api.billing.models import BillingBatch, BillingBatchEvent, DocumentSequence, Invoice, InvoiceLine
from operational_api.customers.models import Contract, Customer, DeliveryPoint
from operational_api.db import Base, metadata
from operational_api.metering.models import Meter, MeterInstallation, MeterIntervention, Reading
from operational_api.network.models import (
    Feeder,
    NetworkMeter,
    NetworkReading,
    Substation,
    Transformer,
    WaterDistrict,
)
from operational_api.organization.models import Agency, ReadingRound
from operational_api.tariffs.models import (
    TariffBlock,
    TariffCategory,
    TariffCharge,
    TariffGrid,
    TariffTax,
    TariffVersion,
)

__all__ = [
    "Agency",
    "Allocation",
    "BillingBatch",
    "BillingBatchEvent",
    "DocumentSequence",
    "Invoice",
    "InvoiceLine",
    "LedgerEntry",
    "Payment",
    "TariffBlock",
    "TariffCategory",
    "TariffCharge",
    "TariffGrid",
    "TariffTax",
    "TariffVersion",
    "Base",
    "Contract",
    "Customer",
    "DeliveryPoint",
    "Feeder",
    "Meter",
    "MeterInstallation",
    "MeterIntervention",
    "NetworkMeter",
    "NetworkReading",
    "Reading",
    "ReadingRound",
    "Substation",
    "Transformer",
    "WaterDistrict",
    "metadata",
]
