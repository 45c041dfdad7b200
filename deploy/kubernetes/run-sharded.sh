#!/usr/bin/env bash
# One camera-load test over N pods of a Kubernetes Indexed Job, merged into one exact report.
#
#   run-sharded.sh N START_AT [camera-load arguments...]
#   run-sharded.sh --render N START_AT [camera-load arguments...]   # print the Job only (no cluster)
#
# START_AT: when every shard starts its ramp (ISO 8601, e.g. 2026-12-03T15:00:00Z): leave the pods time to
# be scheduled and pull the image. --threshold, --junit and --allow-partial go to `merge`; every other
# argument goes to each shard's `run` (after the Job's own, so --duration or --max-streams override them).
#
# Environment: IMAGE (default camera-load:latest), JOB_NAME (camera-load), OUT_DIR (./camera-load-shards),
# WAIT_TIMEOUT seconds (3600), CAMERAS_FILE (a ready list; otherwise `camera-load cameras` fetches it, with
# API_URL if set and CAMERA_API_TOKEN as usual), CAMERA_LOAD (the local command, default `npx camera-load`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
usage() {
  echo "usage: $(basename "$0") [--render] N START_AT [camera-load arguments...]" >&2
  exit 2
}

render_only=false
if [ "${1:-}" = "--render" ]; then
  render_only=true
  shift
fi
[ $# -ge 2 ] || usage
shards="$1"
start_at="$2"
shift 2
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive whole number, got '$shards'" >&2; exit 2; }
# Written into the manifest by sed: only the characters a time can have.
[[ "$start_at" =~ ^[0-9T:.+Z-]+$ ]] || { echo "START_AT must be a time such as 2026-12-03T15:00:00Z, got '$start_at'" >&2; exit 2; }

image="${IMAGE:-camera-load:latest}"
job="${JOB_NAME:-camera-load}"
[[ "$image" =~ ^[A-Za-z0-9./:@_-]+$ ]] || { echo "IMAGE has unexpected characters: '$image'" >&2; exit 2; }
[[ "$job" =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]] || { echo "JOB_NAME must be a DNS label, got '$job'" >&2; exit 2; }

run_args=()
merge_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --threshold | --junit)
      [ $# -ge 2 ] || usage
      merge_args+=("$1" "$2")
      shift 2
      ;;
    --allow-partial)
      merge_args+=("$1")
      shift
      ;;
    *)
      run_args+=("$1")
      shift
      ;;
  esac
done

# The Job for these shards: sed on the marked lines, each extra argument as a single-quoted YAML item.
render_job() {
  local arg
  for arg in ${run_args[@]+"${run_args[@]}"}; do
    case "$arg" in *$'\n'*) echo "arguments cannot contain line breaks" >&2; exit 2 ;; esac
  done
  sed -E \
    -e "s/^(  name: )camera-load$/\1${job}/" \
    -e "s/^( *[a-z]+: )(\"?)[0-9]+(\"?) # shards$/\1\2${shards}\3 # shards/" \
    -e "s/^( *value: )\"[^\"]*\" # start-at$/\1\"${start_at}\" # start-at/" \
    -e "s|^( *image: )[^ ]+ # image$|\1${image} # image|" \
    "$here/job.yaml" |
    while IFS= read -r line; do
      if [[ "$line" == *'# run-sharded: extra camera-load arguments' ]]; then
        local indent="${line%%#*}"
        for arg in ${run_args[@]+"${run_args[@]}"}; do
          printf "%s- '%s'\n" "$indent" "${arg//\'/\'\'}"
        done
      fi
      printf '%s\n' "$line"
    done
}

if [ "$render_only" = true ]; then
  render_job
  exit 0
fi

read -r -a camera_load <<<"${CAMERA_LOAD:-npx camera-load}"
out="${OUT_DIR:-./camera-load-shards}"
mkdir -p "$out"
rm -f "$out"/shard-*.json

# 1. One camera list for every shard, fetched and validated once.
cameras="${CAMERAS_FILE:-}"
if [ -z "$cameras" ]; then
  cameras="$out/cameras.json"
  "${camera_load[@]}" cameras ${API_URL:+--api-url "$API_URL"} --output "$cameras"
fi
kubectl create configmap camera-load-cameras --from-file=cameras.json="$cameras" --dry-run=client -o yaml |
  kubectl apply -f -

# 2. A Job's pod template cannot change: replace the previous run's Job.
kubectl delete job "$job" --ignore-not-found --wait=true
render_job | kubectl apply -f -
echo "Job $job: $shards shards starting at $start_at; waiting up to ${WAIT_TIMEOUT:-3600} s"

# 3. Wait for Complete or Failed (a failed index fails the Job only once every other shard has finished).
deadline=$((SECONDS + ${WAIT_TIMEOUT:-3600}))
state=""
while [ "$SECONDS" -lt "$deadline" ]; do
  state="$(kubectl get job "$job" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')"
  case " $state " in *" Complete "* | *" Failed "*) break ;; esac
  sleep 10
done
case " $state " in
  *" Complete "* | *" Failed "*) echo "Job $job: $state" ;;
  *) echo "Job $job did not finish within ${WAIT_TIMEOUT:-3600} s; merging what has finished" >&2 ;;
esac

# 4. Each shard's report is the last line its pod printed (--output -); the newest pod of each index wins.
declare -A pod_of
while read -r index pod; do
  [ -n "$pod" ] && pod_of[$index]="$pod"
done < <(kubectl get pods -l "job-name=$job" --sort-by=.metadata.creationTimestamp \
  -o jsonpath='{range .items[*]}{.metadata.annotations.batch\.kubernetes\.io/job-completion-index}{" "}{.metadata.name}{"\n"}{end}')
for ((i = 0; i < shards; i++)); do
  pod="${pod_of[$i]:-}"
  if [ -z "$pod" ]; then
    echo "shard $((i + 1)): no pod for index $i" >&2
    continue
  fi
  line="$(kubectl logs "$pod" -c camera-load | tail -n 1 || true)"
  if [[ "$line" == '{'* ]]; then
    printf '%s\n' "$line" >"$out/shard-$((i + 1)).json"
  else
    echo "shard $((i + 1)): pod $pod printed no report" >&2
  fi
done

# 5. One exact report; merge names any missing shard and sets the exit code (0, 1, 4, 130; 2 on refusal).
shopt -s nullglob
reports=("$out"/shard-*.json)
[ ${#reports[@]} -gt 0 ] || { echo "no shard printed a report" >&2; exit 2; }
exec "${camera_load[@]}" merge "${reports[@]}" --output "$out/merged.json" ${merge_args[@]+"${merge_args[@]}"}
