"""Field-level access control: a Casbin model, reviewed policy files, and the decisions derived
from them (computed once per subject and policy version, never per field per row)."""
