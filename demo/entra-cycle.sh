#!/usr/bin/env bash
# Plays an Entra ID provisioning cycle against demo/run.sh, with the request shapes Entra really sends (PascalCase ops,
# "False" as a string, members added by PATCH after the group exists): three joiners, a mover, a leaver. Then shows
# what each simulated platform now has, and the reconciliation runs.
set -euo pipefail
scim=http://127.0.0.1:8080/scim/v2
auth=(-H "Authorization: Bearer demo-entra-secret-not-for-production-0123456789" -H "Content-Type: application/scim+json")
admin=(-H "Authorization: Bearer demo-admin-token")

user() { # userName givenName familyName department
  curl -sf "${auth[@]}" -X POST "$scim/Users" -d @- <<JSON | jq -r .id
{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
 "externalId":"$2","userName":"$1","active":true,"displayName":"$2 $3",
 "emails":[{"primary":true,"type":"work","value":"$1"}],"name":{"formatted":"$2 $3","familyName":"$3","givenName":"$2"},
 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"$4"}}
JSON
}
group() { # displayName
  curl -sf "${auth[@]}" -X POST "$scim/Groups" -d "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"externalId\":\"$1\",\"displayName\":\"$1\",\"members\":[]}" | jq -r .id
}
add_members() { # groupId userId...
  local gid=$1; shift
  local values; values=$(printf '{"value":"%s"},' "$@"); values="[${values%,}]"
  curl -sf "${auth[@]}" -X PATCH "$scim/Groups/$gid" -o /dev/null \
    -d "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":$values}]}"
}

echo "Joiners: Ada (Research), Grace (Research), Linus (Engineering)"
ada=$(user ada@contoso.com Ada Lovelace Research)
grace=$(user grace@contoso.com Grace Hopper Research)
linus=$(user linus@contoso.com Linus Torvalds Engineering)
research=$(group AI-OpenAI-Research)
leads=$(group AI-OpenAI-Research-Leads)
cursor=$(group Cursor-Users)
add_members "$research" "$ada" "$grace" "$linus"
add_members "$cursor" "$ada" "$grace" "$linus"
sleep 3

echo "Mover: Grace joins AI-OpenAI-Research-Leads (project owner)"
add_members "$leads" "$grace"
echo "Leaver: Linus is disabled in Entra (active \"False\")"
curl -sf "${auth[@]}" -X PATCH "$scim/Users/$linus" -o /dev/null \
  -d '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}'
sleep 3

echo
echo "== OpenAI (simulated) =="
curl -sf http://127.0.0.1:9101/_sim/state | jq -r '
  "org users:   " + ([.users[] | "\(.email) (\(.role))"] | join(", ")),
  "invites:     " + ([.invites[] | "\(.email) \(.status) \(.role) \([.projects[]? | "\(.id):\(.role)"] | join(" "))"] | join(", ")),
  (.projects[] | "project \(.name): " + ([.users[]? | "\(.email) (\(.role))"] | join(", ")) + "; keys: " + ([.api_keys[]? | .id] | join(", ")))'
echo "== Anthropic (simulated) =="
curl -sf http://127.0.0.1:9102/_sim/state | jq -r '
  "users:       " + ([.users[]? | "\(.email) (\(.role))"] | join(", ")),
  "invites:     " + ([.invites[]? | "\(.email) \(.status) (\(.role))"] | join(", ")),
  "workspaces:  " + ([.workspaces[]? | .name] | join(", "))'
echo "== Cursor (simulated) =="
curl -sf http://127.0.0.1:9103/_sim/state | jq -r '"team:        " + ([.teamMembers[] | select(.isRemoved | not) | "\(.email) (\(.role))"] | join(", "))'
echo
echo "== Reconciliation runs (newest first) =="
curl -sf "${admin[@]}" "http://127.0.0.1:8080/admin/runs?limit=6" | jq -r '.[] | "\(.started)  \(.target)  \(.trigger)  \(.status)"'
echo
echo "A full pass (dry run), then its drift report:"
echo "  curl -H 'Authorization: Bearer demo-admin-token' -X POST -H 'content-type: application/json' -d '{\"dryRun\":true}' http://127.0.0.1:8080/admin/reconcile >/dev/null"
echo "  curl -H 'Authorization: Bearer demo-admin-token' http://127.0.0.1:8080/admin/reports/drift | jq"
echo "Or open http://127.0.0.1:8080/console/ and sign in as demo / demo-console-password."
