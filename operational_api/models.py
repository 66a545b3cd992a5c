"""Every mapped table of the operational database, imported so that the metadata is complete."""

from operational_api.accounts.models import Allocation, LedgerEntry, Payment
from operational_api.audit.models import AuditEvent, CustomerChange
from operational_api.auth.models import ApiToken, Partner, User, UserAgency
from operational_api.billing.models import (
    BillingBatch,
    BillingBatchEvent,
    DocumentSequence,
    DraftBill,
    DraftBillLine,
    Invoice,
    InvoiceLine,
)
from operational_api.cashdesk.models import (
    BankDeposit,
    BankDepositItem,
    CashCountLine,
    CashSession,
    ChequeBar,
    ChequeDeposit,
    ChequeDepositItem,
    ReceiptPrint,
)
from operational_api.collection.models import (
    CollectionCampaign,
    CollectionTarget,
    PaymentPlan,
    PaymentPlanInstallment,
)
from operational_api.customers.models import Contract, Customer, DeliveryPoint
from operational_api.db import Base, metadata
from operational_api.field.models import Inspection
from operational_api.intake.models import IntakeFile, IntakeQuarantine
from operational_api.metering.models import Meter, MeterInstallation, MeterIntervention, Reading
from operational_api.mobile_money.models import MobileMoneyNotification, PartnerStatement, PartnerStatementLine
from operational_api.network.models import (
    Feeder,
    NetworkMeter,
    NetworkReading,
    Substation,
    Transformer,
    WaterDistrict,
)
from operational_api.notifications.models import Notification
from operational_api.organization.models import Agency, ReadingRound
from operational_api.prepaid.models import PrepaidPurchase
from operational_api.requests.models import Complaint
from operational_api.tariffs.models import (
    TariffBlock,
    TariffCategory,
    TariffCharge,
    TariffGrid,
    TariffTax,
    TariffVersion,
)

__all__ = [
    "DraftBill",
    "IntakeFile",
    "IntakeQuarantine",
    "Notification",
    "DraftBillLine",
    "CollectionCampaign",
    "CollectionTarget",
    "Complaint",
    "Inspection",
    "PaymentPlan",
    "PaymentPlanInstallment",
    "PrepaidPurchase",
    "Agency",
    "Allocation",
    "ApiToken",
    "AuditEvent",
    "BankDeposit",
    "BankDepositItem",
    "BillingBatch",
    "BillingBatchEvent",
    "CashCountLine",
    "CashSession",
    "ChequeBar",
    "ChequeDeposit",
    "ChequeDepositItem",
    "CustomerChange",
    "DocumentSequence",
    "Invoice",
    "InvoiceLine",
    "LedgerEntry",
    "MobileMoneyNotification",
    "Partner",
    "PartnerStatement",
    "PartnerStatementLine",
    "Payment",
    "ReceiptPrint",
    "TariffBlock",
    "TariffCategory",
    "TariffCharge",
    "TariffGrid",
    "TariffTax",
    "TariffVersion",
    "User",
    "UserAgency",
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
