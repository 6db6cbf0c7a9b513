"""The GraphQL operations the suites send, each written once.

An operation used by one test file only may stay in that file as a module constant; an
operation two files send lives here, with the selection every user of it reads.
"""

from __future__ import annotations

# --- accounts -----------------------------------------------------------------------------

SIGN_UP = """
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { ok errors { field message code } }
}
"""

SIGN_IN = """
mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    user { id email }
    accessToken refreshToken
    errors { field message code }
  }
}
"""

SIGN_OUT = """
mutation SignOut($input: SignOutInput) {
  signOut(input: $input) { ok errors { field message code } }
}
"""

TOKEN_REFRESH = """
mutation TokenRefresh($input: TokenRefreshInput!) {
  tokenRefresh(input: $input) {
    user { id email }
    accessToken refreshToken
    errors { field message code }
  }
}
"""

ME = """
query Me {
  me {
    id email fullName emailVerified
    memberships { id organization { id name } role { id key } }
  }
}
"""

# --- organizations, members, roles, API keys ----------------------------------------------

ORGANIZATION_CREATE = """
mutation OrganizationCreate($input: OrganizationCreateInput!) {
  organizationCreate(input: $input) {
    organization { id name slug }
    errors { field message code }
  }
}
"""

ORGANIZATION_UPDATE = """
mutation OrganizationUpdate($input: OrganizationUpdateInput!) {
  organizationUpdate(input: $input) {
    organization { id name slug description website businessDetails }
    errors { field message code }
  }
}
"""

ORGANIZATION = """
query Organization($id: ID!) {
  organization(id: $id) { id name viewerRole { key } viewerPermissions }
}
"""

ORGANIZATIONS = "query Organizations { organizations { id name } }"

ORGANIZATION_MEMBERS = """
query OrganizationMembers($id: ID!) {
  organization(id: $id) {
    members { id user { email } role { key } }
  }
}
"""

PENDING_INVITATIONS = """
query Invitations($id: ID!) {
  organization(id: $id) { invitations { email role { key } } }
}
"""

MEMBER_INVITE = """
mutation MemberInvite($input: MemberInviteInput!) {
  memberInvite(input: $input) {
    invitation { id email role { key } acceptedAt revokedAt }
    errors { field message code }
  }
}
"""

INVITATION_ACCEPT = """
mutation InvitationAccept($input: InvitationAcceptInput!) {
  invitationAccept(input: $input) {
    membership { id role { key } organization { id name } user { email } }
    errors { field message code }
  }
}
"""

MEMBER_REMOVE = """
mutation MemberRemove($input: MemberRemoveInput!) {
  memberRemove(input: $input) {
    membership { id user { email } }
    errors { field message code }
  }
}
"""

ROLES = "query Roles { roles { key name isBuiltin permissions } }"

ROLE_CREATE = """
mutation RoleCreate($input: RoleCreateInput!) {
  roleCreate(input: $input) {
    role { id key name description isBuiltin permissions }
    errors { field message code }
  }
}
"""

API_KEY_CREATE = """
mutation ApiKeyCreate($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) {
    apiKey { id name prefix revokedAt role { key } }
    key
    errors { field message code }
  }
}
"""

API_KEY_REVOKE = """
mutation ApiKeyRevoke($input: ApiKeyRevokeInput!) {
  apiKeyRevoke(input: $input) {
    apiKey { id revokedAt }
    errors { field message code }
  }
}
"""

API_KEYS = """
query ApiKeys($organizationId: ID!) {
  apiKeys(organizationId: $organizationId) {
    id name prefix createdAt lastUsedAt revokedAt role { key }
  }
}
"""

# --- agents -------------------------------------------------------------------------------

AGENT_FIELDS = (
    "id name systemPrompt greeting phoneNumber voice language isActive "
    "maxCallDurationSeconds transferTo"
)

AGENT_CREATE = f"""
mutation AgentCreate($input: AgentCreateInput!) {{
  agentCreate(input: $input) {{
    agent {{ {AGENT_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_UPDATE = f"""
mutation AgentUpdate($input: AgentUpdateInput!) {{
  agentUpdate(input: $input) {{
    agent {{ {AGENT_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_DELETE = """
mutation AgentDelete($input: AgentDeleteInput!) {
  agentDelete(input: $input) {
    agent { id name phoneNumber }
    errors { field message code }
  }
}
"""

AGENT = f"""
query Agent($id: ID!) {{
  agent(id: $id) {{ {AGENT_FIELDS} organization {{ id }} }}
}}
"""

AGENTS = """
query Agents($organizationId: ID!, $first: Int, $after: String) {
  agents(organizationId: $organizationId, first: $first, after: $after) {
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

AGENT_VOICES = "query Voices { agentVoices }"

NODE = """
query Node($id: ID!) {
  node(id: $id) { __typename id }
}
"""

# --- tools --------------------------------------------------------------------------------

PLATFORM_TOOL_FIELDS = """
  id name displayName description authType configSchema secretConfigSchema
  isActive isAvailable functions { name description parameters }
"""

PLATFORM_TOOLS = f"""
query PlatformTools($onlyActive: Boolean) {{
  platformTools(onlyActive: $onlyActive) {{ {PLATFORM_TOOL_FIELDS} }}
}}
"""

AGENT_TOOL_FIELDS = """
  id isEnabled config secretFieldsSet staleFunctions
  functions { name description parameters enabled }
  tool { id name authType }
  connection { status account connectedAt reason }
"""

AGENT_TOOL_CONFIGURE = f"""
mutation AgentToolConfigure($input: AgentToolConfigureInput!) {{
  agentToolConfigure(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

PLATFORM_TOOL_UPDATE = f"""
mutation PlatformToolUpdate($input: PlatformToolUpdateInput!) {{
  platformToolUpdate(input: $input) {{
    platformTool {{ {PLATFORM_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_TOOL_UPDATE = f"""
mutation AgentToolUpdate($input: AgentToolUpdateInput!) {{
  agentToolUpdate(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""


AGENT_TOOL_REMOVE = f"""
mutation AgentToolRemove($input: AgentToolRemoveInput!) {{
  agentToolRemove(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_TOOLS = f"""
query AgentTools($id: ID!) {{
  agent(id: $id) {{ id tools {{ {AGENT_TOOL_FIELDS} }} }}
}}
"""

AGENT_TOOL_OAUTH_START = """
mutation AgentToolOAuthStart($input: AgentToolOAuthStartInput!) {
  agentToolOAuthStart(input: $input) {
    authorizationUrl
    errors { field message code }
  }
}
"""

CUSTOM_FUNCTION_FIELDS = (
    "id name description parameters method urlTemplate headers secretHeaderNames "
    "timeoutSeconds isActive createdAt"
)

CUSTOM_FUNCTION_CREATE = f"""
mutation CustomFunctionCreate($input: CustomFunctionCreateInput!) {{
  customFunctionCreate(input: $input) {{
    customFunction {{ {CUSTOM_FUNCTION_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

CUSTOM_FUNCTION_UPDATE = f"""
mutation CustomFunctionUpdate($input: CustomFunctionUpdateInput!) {{
  customFunctionUpdate(input: $input) {{
    customFunction {{ {CUSTOM_FUNCTION_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

CUSTOM_FUNCTION_DELETE = """
mutation CustomFunctionDelete($input: CustomFunctionDeleteInput!) {
  customFunctionDelete(input: $input) {
    customFunction { id name }
    errors { field message code }
  }
}
"""

CUSTOM_FUNCTIONS = f"""
query CustomFunctions($organizationId: ID!) {{
  customFunctions(organizationId: $organizationId) {{ {CUSTOM_FUNCTION_FIELDS} }}
}}
"""

AGENT_CUSTOM_FUNCTIONS = """
query AgentCustomFunctions($id: ID!) {
  agent(id: $id) { id customFunctions { id name secretHeaderNames } }
}
"""


AGENT_CUSTOM_FUNCTIONS_SET = """
mutation AgentCustomFunctionsSet($input: AgentCustomFunctionsSetInput!) {
  agentCustomFunctionsSet(input: $input) {
    agent { id customFunctions { id name } }
    errors { field message code }
  }
}
"""

# --- calls --------------------------------------------------------------------------------

CALL_CREATE = """
mutation CallCreate($input: CallCreateInput!) {
  callCreate(input: $input) {
    call { id direction fromNumber toNumber status endedReason agent { id } }
    errors { field message code }
  }
}
"""

CALLS = """
query Calls($organizationId: ID!, $agentId: ID, $status: [CallStatus!], $from: DateTime,
            $to: DateTime, $first: Int, $after: String) {
  calls(organizationId: $organizationId, agentId: $agentId, status: $status, from: $from,
        to: $to, first: $first, after: $after) {
    edges { cursor node { id status } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

# Every field of every kind of call event (a fragment spread where events are selected).
CALL_EVENT_FIELDS = """
fragment CallEventFields on CallEvent {
  __typename id type seq occurredAt
  ... on CallStatusChanged { status previousStatus source reason }
  ... on CallTranscriptSegment { speaker text }
  ... on CallToolInvoked { function arguments outcome latencyMs message }
  ... on CallTransfer { transferTo transferOutcome reason mode }
  ... on CallTransferStarted { transferTo mode }
  ... on CallTransferBriefing { transferTo summary }
  ... on CallEnded { status reason durationSeconds }
  ... on CallUpdated { changedFields source durationSeconds previousDurationSeconds }
  ... on CallStarted { direction fromNumber toNumber source }
  ... on CallAnalyzed {
    analysis {
      status summary structuredData model latencyMs error attempts completedAt
      successEvaluation { kind passed score criteria { criterion passed } }
    }
  }
}
"""

CALL_EVENTS = (
    """
subscription CallEvents($callId: ID!, $afterSeq: Int! = 0) {
  callEvents(callId: $callId, afterSeq: $afterSeq) {
    ...CallEventFields
    call { id status }
  }
}
"""
    + CALL_EVENT_FIELDS
)

ORGANIZATION_CALL_UPDATES = (
    """
subscription OrganizationCallUpdates($organizationId: ID!) {
  organizationCallUpdates(organizationId: $organizationId) {
    ...CallEventFields
    call { id status durationSeconds }
  }
}
"""
    + CALL_EVENT_FIELDS
)

CALL_TIMELINE = (
    """
query CallTimeline($id: ID!, $afterSeq: Int! = 0) {
  call(id: $id) {
    id status durationSeconds
    timeline(afterSeq: $afterSeq) { ...CallEventFields }
  }
}
"""
    + CALL_EVENT_FIELDS
)

# --- billing ------------------------------------------------------------------------------

BILLING_SUMMARY = """
query BillingSummary($id: ID!, $first: Int) {
  billingSummary(organizationId: $id) {
    plan { id key name creditsPerPeriod }
    subscriptionStatus
    currentPeriodEnd
    cancelAtPeriodEnd
    creditBalance
    periodStart
    usage { calls minutes credits }
    ledger(first: $first) {
      edges { node { amount kind reason balanceAfter createdAt } }
    }
  }
}
"""

CREDITS_PURCHASE = """
mutation CreditsPurchase($input: CreditsPurchaseInput!) {
  creditsPurchase(input: $input) {
    url
    errors { field message code }
  }
}
"""

# --- phone numbers ------------------------------------------------------------------------

PHONE_NUMBER_FIELDS = (
    "id e164 friendlyName status isLinked capabilities { voice sms } releasedAt agent { id }"
)

PHONE_NUMBERS = f"""
query PhoneNumbers($organizationId: ID!, $first: Int, $after: String) {{
  phoneNumbers(organizationId: $organizationId, first: $first, after: $after) {{
    totalCount
    edges {{ node {{ {PHONE_NUMBER_FIELDS} }} }}
  }}
}}
"""

AVAILABLE_PHONE_NUMBERS = """
query AvailablePhoneNumbers(
  $organizationId: ID!, $country: String! = "US", $kind: PhoneNumberKind! = LOCAL,
  $areaCode: String, $contains: String, $limit: Int! = 20
) {
  availablePhoneNumbers(
    organizationId: $organizationId, country: $country, kind: $kind, areaCode: $areaCode,
    contains: $contains, limit: $limit
  ) {
    numbers { e164 friendlyName locality region isoCountry capabilities { voice sms } }
    errors { field message code }
  }
}
"""

PHONE_NUMBER_BUY = f"""
mutation PhoneNumberBuy($input: PhoneNumberBuyInput!) {{
  phoneNumberBuy(input: $input) {{
    phoneNumber {{ {PHONE_NUMBER_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

PHONE_NUMBER_IMPORT = f"""
mutation PhoneNumberImport($input: PhoneNumberImportInput!) {{
  phoneNumberImport(input: $input) {{
    phoneNumber {{ {PHONE_NUMBER_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

PHONE_NUMBER_RELEASE = f"""
mutation PhoneNumberRelease($input: PhoneNumberReleaseInput!) {{
  phoneNumberRelease(input: $input) {{
    phoneNumber {{ {PHONE_NUMBER_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

# --- partner webhooks ---------------------------------------------------------------------

WEBHOOK_ENDPOINT_FIELDS = (
    "id url description eventTypes enabled disabledReason previousSecretExpiresAt createdAt"
)
WEBHOOK_DELIVERY_FIELDS = (
    "id eventType messageId status attempts lastAttemptAt lastResponseStatus lastLatencyMs "
    "lastError nextAttemptAt deliveredAt createdAt payload"
)

WEBHOOK_ENDPOINT_CREATE = f"""
mutation WebhookEndpointCreate($input: WebhookEndpointCreateInput!) {{
  webhookEndpointCreate(input: $input) {{
    webhookEndpoint {{ {WEBHOOK_ENDPOINT_FIELDS} }}
    signingSecret
    errors {{ field message code }}
  }}
}}
"""

WEBHOOK_ENDPOINT_UPDATE = f"""
mutation WebhookEndpointUpdate($input: WebhookEndpointUpdateInput!) {{
  webhookEndpointUpdate(input: $input) {{
    webhookEndpoint {{ {WEBHOOK_ENDPOINT_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

WEBHOOK_ENDPOINT_DELETE = f"""
mutation WebhookEndpointDelete($input: WebhookEndpointDeleteInput!) {{
  webhookEndpointDelete(input: $input) {{
    webhookEndpoint {{ {WEBHOOK_ENDPOINT_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

WEBHOOK_ENDPOINT_ROTATE_SECRET = f"""
mutation WebhookEndpointRotateSecret($input: WebhookEndpointRotateSecretInput!) {{
  webhookEndpointRotateSecret(input: $input) {{
    webhookEndpoint {{ {WEBHOOK_ENDPOINT_FIELDS} }}
    signingSecret
    errors {{ field message code }}
  }}
}}
"""

WEBHOOK_ENDPOINT_TEST = f"""
mutation WebhookEndpointTest($input: WebhookEndpointTestInput!) {{
  webhookEndpointTest(input: $input) {{
    webhookDelivery {{ {WEBHOOK_DELIVERY_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

WEBHOOK_DELIVERY_RETRY = f"""
mutation WebhookDeliveryRetry($input: WebhookDeliveryRetryInput!) {{
  webhookDeliveryRetry(input: $input) {{
    webhookDelivery {{ {WEBHOOK_DELIVERY_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

WEBHOOK_ENDPOINT = f"""
query WebhookEndpoint($id: ID!, $status: [WebhookDeliveryStatus!], $first: Int, $after: String) {{
  webhookEndpoint(id: $id) {{
    {WEBHOOK_ENDPOINT_FIELDS}
    deliveries(status: $status, first: $first, after: $after) {{
      totalCount
      pageInfo {{ hasNextPage endCursor }}
      edges {{ node {{ {WEBHOOK_DELIVERY_FIELDS} }} }}
    }}
  }}
}}
"""

WEBHOOK_ENDPOINTS = f"""
query WebhookEndpoints($id: ID!) {{
  organization(id: $id) {{
    webhookEndpoints {{ totalCount edges {{ node {{ {WEBHOOK_ENDPOINT_FIELDS} }} }} }}
  }}
}}
"""
