#!/usr/bin/env bash
# scratchfn's pipeline for your repository, as one script any CI system can run.
# GitHub Actions runs the same stages from ci/github/scratchfn.yml.
#
#   ci/scratchfn-ci.sh                 every stage: test, build, push, deploy
#   ci/scratchfn-ci.sh build push      only those, in that order
#
# test    npm test
# build   npm run build: every image, and the size gate (fails when an image grows
#         past its budget or baseline); the size report goes into the job summary
# push    npm run push to $SCRATCHFN_REGISTRY              } only on the release branch
# deploy  npm run deploy (and applies it with oc/kubectl)  } (main), so pull requests
#                                                            test and build, nothing more
# Settings, from the environment:
#   SCRATCHFN_REGISTRY          HOST[:PORT]/NAMESPACE to push to, e.g. quay.io/my-team
#   SCRATCHFN_REGISTRY_USER     registry login; or log in beforehand with docker/podman
#   SCRATCHFN_REGISTRY_PASSWORD   login, which push reads from their files
#   SCRATCHFN_PUSH_FLAGS        more push flags, e.g. --insecure for a plain-HTTP registry
#   SCRATCHFN_DEPLOY_TARGET     openshift (default), kubernetes or knative
#   SCRATCHFN_DEPLOY_HOST       the host every function's route hangs off (openshift)
#   SCRATCHFN_NAMESPACE         the project to deploy to (default: the CLI's current one)
#   SCRATCHFN_APPLY             1 (default) applies with oc or kubectl; 0 only writes dist/deploy/
#   OPENSHIFT_SERVER, OPENSHIFT_TOKEN   when both are set, `oc login` before applying
#   SCRATCHFN_RELEASE_BRANCH    the branch that pushes and deploys (default main)
#   CI_BRANCH                   the branch, when the CI system's own variable is not known here
#   SCRATCHFN_ROOT              the project folder (default: this repository)
#   GITHUB_STEP_SUMMARY         set by GitHub Actions: the reports are added to the job summary
set -euo pipefail
cd "$(dirname "$0")/.."

root_args=()
if [ -n "${SCRATCHFN_ROOT:-}" ]; then root_args=(--root "$SCRATCHFN_ROOT"); fi
dist="${SCRATCHFN_ROOT:-.}/dist"
release="${SCRATCHFN_RELEASE_BRANCH:-main}"

# The branch being built, from the CI system's own variables, else git.
branch() {
  if [ -n "${CI_BRANCH:-}" ]; then echo "$CI_BRANCH"
  elif [ -n "${GITHUB_REF_NAME:-}" ]; then
    # A pull request builds refs/pull/N/merge, never the release branch.
    if [ "${GITHUB_EVENT_NAME:-}" = pull_request ]; then echo "pull-request"; else echo "$GITHUB_REF_NAME"; fi
  elif [ -n "${CI_COMMIT_BRANCH:-}" ]; then echo "$CI_COMMIT_BRANCH"      # GitLab (unset for merge requests)
  elif [ -n "${BRANCH_NAME:-}" ]; then echo "$BRANCH_NAME"                # Jenkins
  elif [ -n "${BUILDKITE_BRANCH:-}" ]; then echo "$BUILDKITE_BRANCH"
  elif [ -n "${CIRCLE_BRANCH:-}" ]; then echo "$CIRCLE_BRANCH"
  else git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown
  fi
}

summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat >> "$GITHUB_STEP_SUMMARY"; else cat > /dev/null; fi
}

releasing() {
  local b
  b="$(branch)"
  if [ "$b" = "$release" ]; then return 0; fi
  echo "scratchfn-ci: $1 skipped on branch '$b' (push and deploy run on $release only)"
  return 1
}

stage_test() {
  npm test
}

stage_build() {
  local status=0
  npm run build -- ${root_args[@]+"${root_args[@]}"} || status=$?
  # The report is written even when the size gate fails, which is when it matters most.
  if [ -f "$dist/size-report.md" ]; then
    { echo "## scratchfn image sizes"; echo; cat "$dist/size-report.md"; echo; } | summary
  fi
  return "$status"
}

stage_push() {
  releasing push || return 0
  if [ -z "${SCRATCHFN_REGISTRY:-}" ]; then
    echo "scratchfn-ci: push: set SCRATCHFN_REGISTRY to HOST[:PORT]/NAMESPACE, e.g. quay.io/my-team" >&2
    return 2
  fi
  # shellcheck disable=SC2086 # SCRATCHFN_PUSH_FLAGS holds several flags on purpose
  npm run push -- ${root_args[@]+"${root_args[@]}"} --registry "$SCRATCHFN_REGISTRY" ${SCRATCHFN_PUSH_FLAGS:-}
  { echo "## scratchfn images pushed"; echo; echo '```json'; cat "$dist/pushed.json"; echo '```'; echo; } | summary
}

stage_deploy() {
  releasing deploy || return 0
  local args=(--target "${SCRATCHFN_DEPLOY_TARGET:-openshift}")
  if [ -n "${SCRATCHFN_DEPLOY_HOST:-}" ]; then args+=(--host "$SCRATCHFN_DEPLOY_HOST"); fi
  if [ -n "${SCRATCHFN_NAMESPACE:-}" ]; then args+=(--namespace "$SCRATCHFN_NAMESPACE"); fi
  if [ "${SCRATCHFN_APPLY:-1}" = 1 ]; then
    args+=(--apply)
    if [ -n "${OPENSHIFT_SERVER:-}" ] && [ -n "${OPENSHIFT_TOKEN:-}" ]; then
      oc login --server="$OPENSHIFT_SERVER" --token="$OPENSHIFT_TOKEN" > /dev/null
    fi
  fi
  npm run deploy -- ${root_args[@]+"${root_args[@]}"} "${args[@]}"
}

stages=("$@")
if [ ${#stages[@]} -eq 0 ]; then stages=(test build push deploy); fi
for stage in "${stages[@]}"; do
  case "$stage" in
    test|build|push|deploy) echo "scratchfn-ci: $stage"; "stage_$stage" ;;
    *) echo "scratchfn-ci: unknown stage '$stage'; the stages are test, build, push, deploy" >&2; exit 2 ;;
  esac
done
