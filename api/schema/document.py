"""What a document must pass before anything runs: its size, its one operation, its limits
measured after fragment expansion, and validation within a budget.

Every step is linear in the document's text, whatever its shape, so that no document holds a
worker for long before it is refused (contract §6 and §6a):

1. the text is at most `MAX_DOCUMENT_CHARS` (lexing is a Python loop over every character, so
   a 1 MiB comment or string would cost a quarter of a second on its own) and parses within
   `MAX_TOKENS` tokens;
2. one operation is chosen, by the same function for the executor, the audit record and the
   mutation's transaction: several operations without `operationName` are refused;
3. the chosen operation is measured with each fragment measured once (memoised): fields after
   expansion, aliases after expansion, depth, and the cost in list items. A spread of a
   fragment that spreads the next one twice, thirty times over, is 2^30 fields once expanded:
   it is counted in thirty steps, not walked;
4. validation runs with graphql-core's budget for comparing overlapping fields lowered, so a
   document of many same-named fields is refused before the comparisons pile up.

Parsed documents and validation results are cached by text (bounded), so a document sent again
costs a dictionary lookup.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    parse,
    specified_rules,
    validate,
    value_from_ast_untyped,
)
from graphql.validation import (
    NoUndefinedVariablesRule,
    NoUnusedVariablesRule,
    UniqueVariableNamesRule,
    VariablesAreInputTypesRule,
    VariablesInAllowedPositionRule,
)
from graphql.validation.rules import overlapping_fields_can_be_merged
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from api.errors import ErrorCode
from api.schema import cost as list_bounds

MAX_DOCUMENT_CHARS = 64 * 1024
MAX_TOKENS = 2000
MAX_DEPTH = 10
MAX_ALIASES = 20
MAX_FIELDS = 5000
MAX_COST = 150_000
MAX_VALIDATION_ERRORS = 20
# Variables: the values graphql-core coerces one by one (a bulk of 1 000 ids is 1 001 values),
# and how deeply they nest (a household registration nests four levels).
MAX_VARIABLE_VALUES = 5_000
MAX_VARIABLE_DEPTH = 10
# graphql-core spends one unit per field comparison while checking that same-named fields can
# be merged (500 000 by default: most of a second). The documented examples and the
# introspection query spend none; fragments merging the same field spend a few dozen.
OVERLAP_BUDGET = 2_000
overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET = OVERLAP_BUDGET

# Measures saturate here: a count past every limit needs no more digits.
_CEILING = 10**9
# Selection sets, fields and fragment spreads nested inside one another, counted while
# measuring (introspection included, which MAX_DEPTH leaves out): the walk recurses, and a chain
# of fragments each nesting a hundred levels would otherwise exhaust Python's stack.
MAX_NESTING = 64

class DocumentRefused(GraphQLError):
    """A document refused before validation, with its contract code."""

    def __init__(self, message: str, code: ErrorCode, **extensions) -> None:
        super().__init__(message, extensions={"code": code.value, **extensions})


def _too_complex(message: str, **extensions) -> DocumentRefused:
    return DocumentRefused(message, ErrorCode.QUERY_TOO_COMPLEX, **extensions)


# ------------------------------------------------------------------ 1. text and parse

class Bounded(OrderedDict):
    """A small LRU shared by the workers' threads: documents, validations and plans by text."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize
        self.lock = Lock()

    def get_or(self, key, make):
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        value = make()
        with self.lock:
            self[key] = value
            while len(self) > self.maxsize:
                self.popitem(last=False)
        return value


_parsed = Bounded(1024)


def parse_document(text: str) -> DocumentNode:
    """The parsed document, or a refusal: `QUERY_TOO_COMPLEX` for a text over the limits, the
    parser's own error (a syntax error, reported as BAD_USER_INPUT) otherwise. Empty selection
    sets are a syntax error, as the grammar has it (`SelectionSet: { Selection+ }`)."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise _too_complex(f"The document is over {MAX_DOCUMENT_CHARS} characters.",
                           maxCharacters=MAX_DOCUMENT_CHARS)

    def make():
        try:
            return parse(text, max_tokens=MAX_TOKENS, allow_empty_selection_sets=False)
        except GraphQLError as error:
            return error

    result = _parsed.get_or(text, make)
    if isinstance(result, GraphQLError):
        if "more than" in result.message and "tokens" in result.message:
            raise _too_complex(f"The document has more than {MAX_TOKENS} tokens.",
                               maxTokens=MAX_TOKENS)
        code = ErrorCode.QUERY_TOO_COMPLEX if "nested too deeply" in result.message \
            else ErrorCode.BAD_USER_INPUT
        raise GraphQLError(result.message, source=result.source, positions=result.positions,
                           extensions={"code": code.value})
    return result


def check_variables(variables) -> None:
    """Refuses variables holding more values, or nesting deeper, than any input of the schema
    can use: graphql-core would coerce each of them before the resolver could refuse the size."""
    if not variables:
        return
    count = 0
    pending = [(name, value, 1) for name, value in variables.items()] \
        if isinstance(variables, dict) else []
    while pending:
        name, value, depth = pending.pop()
        count += 1
        if count > MAX_VARIABLE_VALUES or depth > MAX_VARIABLE_DEPTH:
            raise DocumentRefused(
                f"The variables hold more than {MAX_VARIABLE_VALUES} values or nest more than "
                f"{MAX_VARIABLE_DEPTH} levels.", ErrorCode.BAD_USER_INPUT, field=name,
                maxValues=MAX_VARIABLE_VALUES, maxDepth=MAX_VARIABLE_DEPTH)
        if isinstance(value, dict):
            pending.extend((name, item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((name, item, depth + 1) for item in value)


# ------------------------------------------------------------------ 2. the operation

def operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def select_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    """The one operation a request runs. A document of several operations needs
    `operationName`; a name must match one operation."""
    candidates = operations(document)
    if name is None:
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise DocumentRefused("The document holds no operation.", ErrorCode.BAD_USER_INPUT)
        raise DocumentRefused("The document holds several operations: name the one to run in "
                              "`operationName`.", ErrorCode.BAD_USER_INPUT,
                              field="operationName")
    for operation in candidates:
        if operation.name is not None and operation.name.value == name:
            return operation
    raise DocumentRefused("No operation of the document has this `operationName`.",
                          ErrorCode.BAD_USER_INPUT, field="operationName")


def operation_type(document: DocumentNode, name: str | None) -> str:
    """`query`, `mutation` or `subscription` of the operation a request runs."""
    return select_operation(document, name).operation.value


# ------------------------------------------------------------------ 3. measures

@dataclass(frozen=True)
class Measure:
    """An operation's size after fragment expansion."""

    fields: int
    aliases: int
    depth: int


class _Measurer:
    """One walk of the operation; each fragment measured once per type it is spread on."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode,
                 variables: dict | None) -> None:
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions
                          if isinstance(d, FragmentDefinitionNode)}
        self.variables = variables or {}
        self._memo: dict[str, tuple[int, int, int, int]] = {}
        self.sized: list[tuple[FieldNode, list_bounds.ListBound, int]] = []  # in walk order
        self._open: set[str] = set()
        self._nesting = 0

    def selection_set(self, node: SelectionSetNode | None, parent) -> tuple[int, int, int, int]:
        """(fields, aliases, depth, cost) of a selection set."""
        if node is None:
            return (0, 0, 0, 0)
        self._nesting += 1
        if self._nesting > MAX_NESTING:
            raise _too_complex(f"The operation nests more than {MAX_NESTING} selection sets "
                               "once its fragments are expanded.", maxNesting=MAX_NESTING)
        try:
            return self._selections(node, parent)
        finally:
            self._nesting -= 1

    def _selections(self, node: SelectionSetNode, parent) -> tuple[int, int, int, int]:
        fields = aliases = depth = cost = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                f, a, d, c = self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                f, a, d, c = self.selection_set(selection.selection_set, inner)
            elif isinstance(selection, FragmentSpreadNode):
                f, a, d, c = self.spread(selection.name.value)
            else:  # pragma: no cover - the grammar has no other selection
                continue
            fields, aliases, cost = fields + f, aliases + a, cost + c
            depth = max(depth, d)
        return (min(fields, _CEILING), min(aliases, _CEILING), depth, min(cost, _CEILING))

    def spread(self, name: str) -> tuple[int, int, int, int]:
        hit = self._memo.get(name)
        if hit is not None:
            return hit
        fragment = self.fragments.get(name)
        if fragment is None or name in self._open:  # unknown or cyclic: validation refuses it
            return (0, 0, 0, 0)
        self._open.add(name)
        parent = self.schema.get_type(fragment.type_condition.name.value)
        measured = self.selection_set(fragment.selection_set, parent)
        self._open.discard(name)
        self._memo[name] = measured
        return measured

    def field(self, node: FieldNode, parent) -> tuple[int, int, int, int]:
        name = node.name.value
        child = None
        bound = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
            if definition is not None:
                child = get_named_type(definition.type)
                bound = list_bounds.bound_of(definition)
        f, a, d, c = self.selection_set(node.selection_set, child)
        size = 1 if bound is None else self._size(node, bound)
        # Introspection fields do not count towards depth (GraphiQL's own introspection query
        # nests `ofType` nine levels deep); they count as fields and cost like any other.
        nested = 0 if name.startswith("__") or node.selection_set is None else 1 + d
        return (min(1 + f, _CEILING), a + (1 if node.alias else 0), nested,
                min(1 + size * c, _CEILING))

    def _size(self, node: FieldNode, bound: list_bounds.ListBound) -> int:
        size = _size_of(node, bound, self.variables)
        self.sized.append((node, bound, size))
        return size


def _size_of(node: FieldNode, bound: list_bounds.ListBound, variables: dict) -> int:
    """The most items a list field may return (api/schema/cost.py): a size over the bound
    counts as the bound here; the resolver refuses it as BAD_USER_INPUT."""
    if bound.argument is None:
        return max(1, bound.maximum())
    return min(_argument_size(node, variables, bound.argument, bound.default), bound.maximum())


def _argument_size(node: FieldNode, variables: dict, name: str, default: int) -> int:
    for argument in node.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            resolved = variables.get(value.name.value)
        elif isinstance(value, IntValueNode):
            resolved = int(value.value)
        elif isinstance(value, ListValueNode):
            resolved = value.values
        else:
            resolved = None
        if isinstance(resolved, list | tuple):
            return len(resolved)
        if isinstance(resolved, int) and not isinstance(resolved, bool):
            return max(resolved, 0)
        return default
    return default


def measure(schema: GraphQLSchema, document: DocumentNode,
            operation: OperationDefinitionNode) -> Measure:
    fields, aliases, depth, _ = _Measurer(schema, document, None).selection_set(
        operation.selection_set, _root(schema, operation))
    return Measure(fields=fields, aliases=aliases, depth=depth)


def operation_cost(schema: GraphQLSchema, document: DocumentNode,
                   operation: OperationDefinitionNode, variables: dict | None) -> int:
    """cost(field) = 1 + size × Σ cost(selected sub-fields), where `size` is how many items a
    list field may return, as declared beside the field (api/schema/cost.py): its `first` (or
    default) for connections, the number of ids asked for bulk eligibility, a fixed bound for
    other lists."""
    return _Measurer(schema, document, _with_defaults(operation, variables)).selection_set(
        operation.selection_set, _root(schema, operation))[3]


class OperationCost:
    """`operation_cost` of one operation, for the variables of each request, without walking
    the document again when its list fields take sizes seen before: the walk visits the same
    list fields in the same order whatever the variables, and the cost depends on nothing but
    their sizes (those the variables give, and the bounds that change, such as the largest
    household)."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode,
                 operation: OperationDefinitionNode) -> None:
        self.schema, self.document, self.operation = schema, document, operation
        self._sized: list[tuple[FieldNode, list_bounds.ListBound]] | None = None
        self._costs: dict[tuple[int, ...], int] = {}

    def __call__(self, variables: dict | None) -> int:
        variables = _with_defaults(self.operation, variables)
        if self._sized is not None:
            hit = self._costs.get(tuple(_size_of(node, bound, variables)
                                        for node, bound in self._sized))
            if hit is not None:
                return hit
        measurer = _Measurer(self.schema, self.document, variables)
        cost = measurer.selection_set(self.operation.selection_set,
                                      _root(self.schema, self.operation))[3]
        self._sized = [(node, bound) for node, bound, _ in measurer.sized]
        if len(self._costs) >= 256:
            self._costs.clear()
        self._costs[tuple(size for _, _, size in measurer.sized)] = cost
        return cost


def _with_defaults(operation: OperationDefinitionNode, variables: dict | None) -> dict:
    """The variables as the executor will see them: a variable the request leaves out takes
    the default written in the document (`$ids: [String!]! = [...]`), which counts like a sent
    value. A variable sent as null stays null."""
    defaults = {d.variable.name.value: value_from_ast_untyped(d.default_value)
                for d in operation.variable_definitions or () if d.default_value is not None}
    return {**defaults, **(variables or {})} if defaults else (variables or {})


def _root(schema: GraphQLSchema, operation: OperationDefinitionNode):
    return {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[operation.operation.value]


def check_limits(schema: GraphQLSchema, document: DocumentNode,
                 operation: OperationDefinitionNode) -> None:
    """Refuses an operation over a limit of contract §6/§6a, measured after expansion."""
    size = measure(schema, document, operation)
    if size.fields > MAX_FIELDS:
        raise _too_complex(f"The operation selects {_count(size.fields)} fields once its "
                           f"fragments are expanded; at most {MAX_FIELDS}.",
                           maxFields=MAX_FIELDS)
    if size.depth > MAX_DEPTH:
        raise _too_complex(f"The operation nests {_count(size.depth)} levels deep; at most "
                           f"{MAX_DEPTH}.", maxDepth=MAX_DEPTH)
    if size.aliases > MAX_ALIASES:
        raise _too_complex(f"The operation uses {_count(size.aliases)} aliases once its "
                           f"fragments are expanded; at most {MAX_ALIASES}.",
                           maxAliases=MAX_ALIASES)


def check_cost(schema: GraphQLSchema, document: DocumentNode,
               operation: OperationDefinitionNode, variables: dict | None) -> None:
    cost = operation_cost(schema, document, operation, variables)
    if cost > MAX_COST:
        raise _too_complex(
            f"Query cost {_count(cost)} is over the limit of {MAX_COST}: ask for fewer items "
            "(smaller `first`, fewer ids) or fewer nested lists.", cost=cost, maxCost=MAX_COST)


def _count(value: int) -> str:
    return f"over {_CEILING}" if value >= _CEILING else str(value)


# ------------------------------------------------------------------ 4. validation

# The specified rules and the two strawberry adds (its `Maybe` and `@oneOf` inputs), less those
# that can only report on what this schema refuses anyway: `@defer`/`@stream` (no such
# directives: KnownDirectivesRule refuses them) and subscriptions (no subscription root:
# KnownOperationTypesRule refuses them). Each rule costs a call per node of the document.
_NEVER_APPLY = {"DeferStreamDirectiveOnRootField", "DeferStreamDirectiveOnValidOperationsRule",
                "DeferStreamDirectiveLabel", "StreamDirectiveOnListField",
                "SingleFieldSubscriptionsRule"}
VALIDATION_RULES = (*(r for r in specified_rules if r.__name__ not in _NEVER_APPLY),
                    MaybeNullValidationRule, OneOfInputValidationRule)
# Rules that only ever report on variable definitions and usages: a text without `$` has
# neither, and three of them walk the whole operation once more.
_VARIABLE_RULES = (NoUndefinedVariablesRule, NoUnusedVariablesRule,
                   VariablesInAllowedPositionRule, UniqueVariableNamesRule,
                   VariablesAreInputTypesRule)
_RULES_WITHOUT_VARIABLES = tuple(r for r in VALIDATION_RULES if r not in _VARIABLE_RULES)
_validated = Bounded(1024)


def validate_document(schema: GraphQLSchema, document: DocumentNode,
                      text: str) -> list[GraphQLError]:
    """graphql-core's validation, cached per text; an exhausted comparison budget or error
    count is QUERY_TOO_COMPLEX."""

    def make():
        rules = VALIDATION_RULES if "$" in text else _RULES_WITHOUT_VARIABLES
        errors = validate(schema, document, rules, max_errors=MAX_VALIDATION_ERRORS)
        return [_too_complex("The document is too complex to validate: fewer fields of the "
                             "same name, or fewer errors.")
                if "Validation aborted" in e.message else e for e in errors]

    return _validated.get_or((id(schema), text), make)


# ------------------------------------------------------------------ the schema extension

class DocumentLimits(SchemaExtension):
    """Admission inside strawberry's pipeline: the parse, the operation and the limits before
    validation, then validation within its budget. A refusal is raised as a GraphQLError
    carrying its code, which strawberry returns as a request error."""

    def on_parse(self):
        ec = self.execution_context
        if ec.graphql_document is None and ec.query:
            check_variables(ec.variables)
            document = parse_document(ec.query)
            operation = select_operation(document, ec.operation_name)
            check_limits(ec.schema._schema, document, operation)
            ec.graphql_document = document
        yield

    def on_validate(self):
        ec = self.execution_context
        if ec.pre_execution_errors is None and ec.graphql_document is not None and ec.query:
            ec.pre_execution_errors = validate_document(ec.schema._schema, ec.graphql_document,
                                                        ec.query)
        yield


class CostLimit(SchemaExtension):
    """The cost, once the variables are known (after the field check)."""

    def on_execute(self):
        ec = self.execution_context
        if ec.graphql_document is not None and ec.result is None:
            try:
                check_cost(ec.schema._schema, ec.graphql_document,
                           select_operation(ec.graphql_document, ec.operation_name),
                           ec.variables)
            except DocumentRefused as refused:
                ec.result = ExecutionResult(data=None, errors=[refused])
        yield
