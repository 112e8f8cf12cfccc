"""One sample call for every tool of the catalog, in an order that works against a freshly seeded sandbox.

Arguments are a dict, or a function of the results so far (by tool name) for ids created by an earlier
call; `check` says what the call must have done. Used by tests/test_tools_end_to_end.py, both in-process
(every raw sandbox answer validated against the spec) and over real stdio with the real server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS

D = DEMO_IDS
USER, MEMBER, ORG = D["user"], D["member_user"], D["organization"]
IMAGE = "{image_url}"  # replaced by the test's local image server
Args = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Sample:
    tool: str
    args: Args = field(default_factory=dict)
    check: Callable[[Any], bool] | None = None

    def arguments(self, results: dict[str, Any], image_url: str) -> dict[str, Any]:
        args = self.args(results) if callable(self.args) else dict(self.args)
        return {k: image_url if v == IMAGE else v for k, v in args.items()}


def _with(tool: str, param: str, /, **extra: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Arguments naming the object an earlier `tool` call created, as parameter `param`."""
    return lambda r: {param: r[tool]["id"], **extra}


NEW_ORG = "createOrganization"
SAMPLES: list[Sample] = [
    # users
    Sample("getUserId", check=lambda r: r["user_id"] == USER),
    Sample("getUser", {"userId": USER}, lambda r: r["id"] == USER and "private_metadata" not in r),
    Sample("getUserCount", check=lambda r: r["total_count"] >= 20),
    Sample("listUsers", {"limit": 5}, lambda r: len(r["items"]) == 5 and r["has_more"]),
    Sample("updateUser", {"userId": USER, "firstName": "Ada", "profileImageUrl": IMAGE}, lambda r: r["has_image"]),
    Sample("deleteUserProfileImage", {"userId": USER}, lambda r: r["has_image"] is False),
    Sample("updateUserPublicMetadata", {"userId": USER, "metadata": {"plan": "pro"}}),
    Sample("updateUserUnsafeMetadata", {"userId": USER, "metadata": {"theme": "dark"}}),
    Sample(
        "replaceUserMetadata",
        {"userId": "user_2demoYara", "publicMetadata": {"tier": "gold"}},
        lambda r: r["public_metadata"] == {"tier": "gold"} and r["unsafe_metadata"] == {},
    ),
    Sample(
        "createUser",
        {"emailAddress": ["new.user@example.com"], "password": "correct-horse-battery", "firstName": "New"},
        lambda r: r["email_addresses"][0]["email_address"] == "new.user@example.com",
    ),
    Sample("banUser", {"userId": D["unaffiliated_user"]}, lambda r: r["banned"] is True),
    Sample("unbanUser", {"userId": D["unaffiliated_user"]}, lambda r: r["banned"] is False),
    Sample(
        "banUsers", {"userIds": ["user_2demoSamuel", "user_2demoRosa"]}, lambda r: all(u["banned"] for u in r["result"])
    ),
    Sample("unbanUsers", {"userIds": ["user_2demoSamuel", "user_2demoRosa"]}),
    Sample("lockUser", {"userId": D["unaffiliated_user"]}, lambda r: r["locked"] is True),
    Sample("unlockUser", {"userId": D["locked_user"]}, lambda r: r["locked"] is False),
    Sample("listUserOrganizationMemberships", {"userId": USER}, lambda r: r["total_count"] == 2),
    Sample("listUserOrganizationInvitations", {"userId": "user_2demoOlivia"}, lambda r: r["total_count"] == 1),
    Sample(
        "getUserOauthAccessToken",
        {"userId": USER, "provider": "oauth_google"},
        lambda r: len(r["items"]) == 1 and r["has_more"] is False,
    ),
    Sample("removeUserPassword", {"userId": "user_2demoNoah"}, lambda r: r["password_enabled"] is False),
    Sample("setUserPasswordCompromised", {"userId": "user_2demoMaya", "revokeAllSessions": True}),
    Sample("unsetUserPasswordCompromised", {"userId": "user_2demoMaya"}),
    Sample("deleteUserTOTP", {"userId": USER}, lambda r: r == {"user_id": USER}),
    Sample("deleteUserBackupCodes", {"userId": USER}),
    Sample("disableUserMFA", {"userId": "user_2demoJamal"}),
    Sample("deleteUserPasskey", {"userId": USER, "passkeyId": D["passkey"]}, lambda r: r["deleted"] is True),
    Sample("deleteUserWeb3Wallet", {"userId": USER, "web3WalletId": D["web3_wallet"]}),
    Sample("deleteUserExternalAccount", {"userId": USER, "externalAccountId": D["external_account"]}),
    Sample("listUserTrustedDevices", {"userId": USER}, lambda r: len(r["items"]) == r["total_count"] == 1),
    Sample(
        "revokeUserTrustedDevice",
        {"userId": USER, "trustedDeviceId": D["trusted_device"]},
        lambda r: r["status"] == "revoked",
    ),
    Sample("getUserBillingSubscription", {"userId": USER}),
    Sample("getUserBillingCreditBalance", {"userId": USER}),
    Sample(
        "adjustUserBillingCreditBalance",
        {"userId": USER, "amount": 500, "action": "increase", "idempotencyKey": "e2e-1"},
    ),
    Sample("deleteUser", {"userId": "user_2demoXavier"}, lambda r: r["deleted"] is True and r["object"] == "user"),
    # organizations, memberships, organization invitations
    Sample("getOrganization", {"slug": D["organization_slug"], "includeMembersCount": True}),
    Sample("listOrganizations", {"query": "acme"}, lambda r: r["total_count"] >= 1),
    Sample("createOrganization", {"name": "Tool Org", "slug": "tool-org", "createdBy": USER}),
    Sample(
        "updateOrganization", _with(NEW_ORG, "organizationId", name="Tool Org 2"), lambda r: r["name"] == "Tool Org 2"
    ),
    Sample("updateOrganizationMetadata", _with(NEW_ORG, "organizationId", publicMetadata={"a": 1})),
    Sample(
        "replaceOrganizationMetadata",
        _with(NEW_ORG, "organizationId", publicMetadata={"b": 2}),
        lambda r: r["public_metadata"] == {"b": 2},
    ),
    Sample("uploadOrganizationLogo", _with(NEW_ORG, "organizationId", imageUrl=IMAGE), lambda r: r["has_image"]),
    Sample("deleteOrganizationLogo", _with(NEW_ORG, "organizationId"), lambda r: r["has_image"] is False),
    Sample("createOrganizationMembership", _with(NEW_ORG, "organizationId", userId=MEMBER, role="org:member")),
    Sample("updateOrganizationMembership", _with(NEW_ORG, "organizationId", userId=MEMBER, role="org:admin")),
    Sample(
        "updateOrganizationMembershipMetadata",
        _with(NEW_ORG, "organizationId", userId=MEMBER, publicMetadata={"x": 1}),
    ),
    Sample("listOrganizationMemberships", _with(NEW_ORG, "organizationId"), lambda r: r["total_count"] == 2),
    Sample("deleteOrganizationMembership", _with(NEW_ORG, "organizationId", userId=MEMBER)),
    Sample("listAllOrganizationMemberships", {"limit": 5}, lambda r: r["has_more"]),
    Sample(
        "createOrganizationInvitation",
        _with(NEW_ORG, "organizationId", emailAddress="x@example.com", role="org:member"),
    ),
    Sample(
        "getOrganizationInvitation",
        lambda r: {"organizationId": r[NEW_ORG]["id"], "invitationId": r["createOrganizationInvitation"]["id"]},
    ),
    Sample("listOrganizationInvitations", _with(NEW_ORG, "organizationId", status="pending")),
    Sample(
        "revokeOrganizationInvitation",
        lambda r: {"organizationId": r[NEW_ORG]["id"], "invitationId": r["createOrganizationInvitation"]["id"]},
        lambda r: r["status"] == "revoked",
    ),
    Sample(
        "createOrganizationInvitationsBulk",
        _with(NEW_ORG, "organizationId", invitations=[{"email_address": "b1@example.com", "role": "org:member"}]),
        lambda r: r["total_count"] == 1,
    ),
    Sample("listAllOrganizationInvitations", {"status": "pending", "limit": 50}),
    Sample("getOrganizationBillingSubscription", {"organizationId": ORG}),
    Sample("getOrganizationBillingCreditBalance", {"organizationId": ORG}),
    Sample(
        "adjustOrganizationBillingCreditBalance",
        {"organizationId": ORG, "amount": 100, "action": "decrease", "idempotencyKey": "e2e-2"},
    ),
    Sample("deleteOrganization", _with(NEW_ORG, "organizationId"), lambda r: r["deleted"] is True),
    # invitations
    Sample("createInvitation", {"emailAddress": "new.person@example.com", "notify": False}),
    Sample("listInvitations", {"status": "pending", "limit": 50}),
    Sample("revokeInvitation", _with("createInvitation", "invitationId"), lambda r: r["status"] == "revoked"),
    Sample("createInvitationsBulk", {"invitations": [{"email_address": "bulk1@example.com"}]}),
    # organization domains, roles, permissions
    Sample("listOrganizationDomains", {"organizationId": ORG}, lambda r: r["total_count"] == 1),
    Sample("listAllOrganizationDomains", {"verified": "true"}),
    Sample(
        "createOrganizationDomain",
        {"organizationId": ORG, "name": "labs.example.com", "enrollmentMode": "manual_invitation"},
    ),
    Sample(
        "updateOrganizationDomain",
        lambda r: {
            "organizationId": ORG,
            "domainId": r["createOrganizationDomain"]["id"],
            "enrollmentMode": "automatic_suggestion",
        },
        lambda r: r["enrollment_mode"] == "automatic_suggestion",
    ),
    Sample(
        "verifyOrganizationDomainOwnership",
        lambda r: {"organizationId": ORG, "domainId": r["createOrganizationDomain"]["id"]},
    ),
    Sample(
        "deleteOrganizationDomain",
        lambda r: {"organizationId": ORG, "domainId": r["createOrganizationDomain"]["id"]},
    ),
    Sample("listOrganizationPermissions", check=lambda r: r["total_count"] >= 7),
    Sample("getOrganizationPermission", {"permissionId": D["custom_permission"]}),
    Sample("createOrganizationPermission", {"name": "Export reports", "key": "org:reports:export"}),
    Sample("updateOrganizationPermission", _with("createOrganizationPermission", "permissionId", description="CSV.")),
    Sample("listOrganizationRoles", check=lambda r: r["total_count"] == 3),
    Sample("getOrganizationRole", {"roleId": D["custom_role"]}),
    Sample(
        "createOrganizationRole", {"name": "Analyst", "key": "org:analyst", "permissions": [D["custom_permission"]]}
    ),
    Sample("updateOrganizationRole", _with("createOrganizationRole", "roleId", description="Reads reports.")),
    Sample(
        "assignPermissionToOrganizationRole",
        lambda r: {
            "roleId": r["createOrganizationRole"]["id"],
            "permissionId": r["createOrganizationPermission"]["id"],
        },
        lambda r: len(r["permissions"]) == 2,
    ),
    Sample(
        "removePermissionFromOrganizationRole",
        lambda r: {
            "roleId": r["createOrganizationRole"]["id"],
            "permissionId": r["createOrganizationPermission"]["id"],
        },
        lambda r: len(r["permissions"]) == 1,
    ),
    Sample("deleteOrganizationRole", _with("createOrganizationRole", "roleId")),
    Sample("deleteOrganizationPermission", _with("createOrganizationPermission", "permissionId")),
    # sessions
    Sample("listSessions", {"userId": USER}, lambda r: len(r["items"]) == 1),
    Sample("getSession", {"sessionId": D["session"]}, lambda r: r["status"] == "active"),
    Sample("createSessionToken", {"sessionId": D["session"]}, lambda r: r["jwt"].count(".") == 2),
    Sample("createSessionTokenFromTemplate", {"sessionId": D["session"], "templateName": D["jwt_template_name"]}),
    Sample("createSession", {"userId": MEMBER}),
    Sample("revokeSession", _with("createSession", "sessionId"), lambda r: r["status"] == "revoked"),
    # email addresses and phone numbers
    Sample("getEmailAddress", {"emailAddressId": D["email_address"]}),
    Sample("createEmailAddress", {"userId": "user_2demoGiulia", "emailAddress": "giulia@work.example.com"}),
    Sample("updateEmailAddress", _with("createEmailAddress", "emailAddressId", primary=True)),
    Sample("prepareEmailAddressVerification", _with("createEmailAddress", "emailAddressId")),
    Sample(
        "attemptEmailAddressVerification",
        lambda r: {
            "emailAddressId": r["createEmailAddress"]["id"],
            "verificationId": r["prepareEmailAddressVerification"]["id"],
            "code": "424242",
        },
        lambda r: r["status"] == "verified",
    ),
    Sample("deleteEmailAddress", {"emailAddressId": D["email_address"]}, lambda r: r["deleted"] is True),
    Sample("replaceUserEmailAddress", {"userId": "user_2demoHiroshi", "emailAddress": "hiroshi@new.example.com"}),
    Sample("getPhoneNumber", {"phoneNumberId": D["phone_number"]}),
    Sample("createPhoneNumber", {"userId": "user_2demoGiulia", "phoneNumber": "+15555550999"}),
    Sample("updatePhoneNumber", _with("createPhoneNumber", "phoneNumberId", primary=True)),
    Sample("preparePhoneNumberVerification", _with("createPhoneNumber", "phoneNumberId")),
    Sample(
        "attemptPhoneNumberVerification",
        lambda r: {
            "phoneNumberId": r["createPhoneNumber"]["id"],
            "verificationId": r["preparePhoneNumberVerification"]["id"],
            "code": "424242",
        },
    ),
    Sample("deletePhoneNumber", _with("createPhoneNumber", "phoneNumberId")),
    Sample("replaceUserPhoneNumber", {"userId": "user_2demoHiroshi", "phoneNumber": "+15555550888"}),
    # allow-list, block-list, actor and sign-in tokens
    Sample("listAllowlistIdentifiers", check=lambda r: len(r["items"]) == 1),
    Sample("createAllowlistIdentifier", {"identifier": "*@friends.example.com"}),
    Sample("deleteAllowlistIdentifier", _with("createAllowlistIdentifier", "identifierId")),
    Sample("listBlocklistIdentifiers", check=lambda r: len(r["items"]) == r["total_count"] == 1),
    Sample("createBlocklistIdentifier", {"identifier": "bad@example.net"}),
    Sample("deleteBlocklistIdentifier", _with("createBlocklistIdentifier", "identifierId")),
    Sample("createActorToken", {"userId": MEMBER, "actor": {"sub": USER}}, lambda r: r["token"] and r["url"]),
    Sample("revokeActorToken", _with("createActorToken", "actorTokenId"), lambda r: r["status"] == "revoked"),
    Sample("createSignInToken", {"userId": MEMBER}, lambda r: r["token"]),
    Sample("revokeSignInToken", {"signInTokenId": D["sign_in_token"]}, lambda r: "token" not in r),
    # waitlist
    Sample("listWaitlistEntries", {"status": "pending"}, lambda r: r["total_count"] == 2),
    Sample("createWaitlistEntry", {"emailAddress": "wait@example.com"}),
    Sample("createWaitlistEntriesBulk", {"entries": [{"email_address": "wait2@example.com"}]}),
    Sample("inviteWaitlistEntry", {"waitlistEntryId": D["waitlist_entry"]}, lambda r: r["status"] == "invited"),
    Sample("rejectWaitlistEntry", {"waitlistEntryId": D["other_waitlist_entry"]}, lambda r: r["status"] == "rejected"),
    Sample("deleteWaitlistEntry", _with("createWaitlistEntry", "waitlistEntryId")),
    # OAuth applications, API keys, machines, M2M tokens
    Sample("listOAuthApplications", check=lambda r: r["total_count"] == 1),
    Sample("getOAuthApplication", {"oauthApplicationId": D["oauth_application"]}, lambda r: "client_secret" not in r),
    Sample(
        "createOAuthApplication",
        {"name": "CLI", "redirectUris": ["http://localhost:8976/cb"]},
        lambda r: r["client_secret"],
    ),
    Sample("updateOAuthApplication", _with("createOAuthApplication", "oauthApplicationId", name="CLI 2")),
    Sample("uploadOAuthApplicationLogo", _with("createOAuthApplication", "oauthApplicationId", imageUrl=IMAGE)),
    Sample(
        "rotateOAuthApplicationSecret",
        _with("createOAuthApplication", "oauthApplicationId"),
        lambda r: r["client_secret"],
    ),
    Sample("revokeOAuthApplicationToken", {"oauthApplicationId": D["oauth_application"], "token": "oat_sandbox"}),
    Sample("deleteOAuthApplication", _with("createOAuthApplication", "oauthApplicationId")),
    Sample("listApiKeys", {"subject": D["api_key_subject"]}, lambda r: r["total_count"] == 1),
    Sample("getApiKey", {"apiKeyId": D["api_key"]}, lambda r: "secret" not in r),
    Sample("verifyApiKey", {"secret": D["api_key_secret"]}, lambda r: r["id"] == D["api_key"]),
    Sample("getApiKeySecret", {"apiKeyId": D["api_key"]}, lambda r: r["secret"] == D["api_key_secret"]),
    Sample(
        "createApiKey", {"name": "Reports", "subject": D["api_key_subject"], "scopes": ["read"]}, lambda r: r["secret"]
    ),
    Sample("updateApiKey", _with("createApiKey", "apiKeyId", description="Nightly export.")),
    Sample("revokeApiKey", _with("createApiKey", "apiKeyId", revocationReason="rotated"), lambda r: r["revoked"]),
    Sample("deleteApiKey", _with("createApiKey", "apiKeyId"), lambda r: r["deleted"] is True),
    Sample("listMachines", check=lambda r: r["total_count"] == 2),
    Sample("getMachine", {"machineId": D["machine"]}),
    Sample("createMachine", {"name": "Indexer", "scopedMachines": [D["machine"]]}, lambda r: r["secret_key"]),
    Sample("updateMachine", _with("createMachine", "machineId", name="Indexer 2")),
    Sample("getMachineSecretKey", {"machineId": D["machine"]}, lambda r: r["secret"]),
    Sample("rotateMachineSecretKey", {"machineId": D["machine"], "previousTokenTtl": 0}),
    Sample("createMachineScope", {"machineId": D["machine"], "toMachineId": D["other_machine"]}),
    Sample("deleteMachineScope", {"machineId": D["machine"], "otherMachineId": D["other_machine"]}),
    Sample("deleteMachine", _with("createMachine", "machineId"), lambda r: r["deleted"] is True),
    Sample(
        "listM2MTokens",
        {"subject": D["machine"]},
        lambda r: len(r["items"]) == r["total_count"] == 1 and r["next_offset"] is None,
    ),
    Sample("verifyM2MToken", {"token": D["m2m_token_secret"]}, lambda r: r["subject"] == D["machine"]),
    Sample("revokeM2MToken", {"m2mTokenId": D["m2m_token"], "revocationReason": "leaked"}, lambda r: r["revoked"]),
    # redirect URLs, domains, JWT templates, webhooks, instance settings
    Sample("listRedirectUrls", check=lambda r: len(r["items"]) == 1),
    Sample("getRedirectUrl", {"redirectUrlId": D["redirect_url"]}),
    Sample("createRedirectUrl", {"url": "myapp://second"}),
    Sample("deleteRedirectUrl", _with("createRedirectUrl", "redirectUrlId")),
    Sample("listDomains", check=lambda r: len(r["items"]) == r["total_count"] == 2 and not r["has_more"]),
    Sample("createDomain", {"name": "blog.example.com", "isSatellite": True}),
    Sample("updateDomain", _with("createDomain", "domainId", proxyUrl="https://blog.example.com/__clerk")),
    Sample("deleteDomain", _with("createDomain", "domainId")),
    Sample("listJwtTemplates", check=lambda r: len(r["items"]) == 1),
    Sample("getJwtTemplate", {"templateId": D["jwt_template"]}),
    Sample("createJwtTemplate", {"name": "hasura", "claims": {"x-hasura-role": "user"}}),
    Sample("updateJwtTemplate", _with("createJwtTemplate", "templateId", name="hasura", claims={"a": 1}, lifetime=120)),
    Sample("deleteJwtTemplate", _with("createJwtTemplate", "templateId")),
    Sample("createSvixApp", check=lambda r: r["svix_url"].startswith("https://")),
    Sample("generateSvixAuthUrl"),
    Sample("deleteSvixApp"),
    Sample("getInstance", check=lambda r: r["environment_type"] == "development"),
    Sample("updateInstance", {"supportEmail": "help@example.com"}),
    Sample("updateInstanceRestrictions", {"allowlist": True}, lambda r: r["allowlist"] is True),
    Sample("getInstanceProtect"),
    Sample("updateInstanceProtect", {"rulesEnabled": True}),
    Sample("getInstanceCommunication"),
    Sample("updateInstanceCommunication", {"blockedCountryCodes": ["XX"]}),
    Sample("getInstanceOAuthApplicationSettings"),
    Sample(
        "updateInstanceOAuthApplicationSettings",
        {"dynamicOauthClientRegistration": True, "clientIdMetadataDocumentsAdvertised": True},
        lambda r: r["client_id_metadata_documents_advertised"] is True,
    ),
    Sample("getInstanceOrganizationSettings"),
    Sample("updateInstanceOrganizationSettings", {"maxAllowedMemberships": 10}),
]
