#!/usr/bin/env bash
# The repository's .clang-format (kernel style) over every C file nnperf owns:
# user/, bpf/, include/ and tests/ (not vmlinux/, generated).
#   scripts/format.sh           rewrites the files in place
#   scripts/format.sh --check   changes nothing; lists the files that differ, exit 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$cf" ] || { echo "format: clang-format missing (Debian package clang-format-14)" >&2; exit 2; }
mode=${1:-}
case $mode in
"" | --check) ;;
*) echo "format: unknown argument '$mode' (--check or nothing)" >&2; exit 2 ;;
esac
mapfile -t files < <(git ls-files -- 'user/*.[ch]' 'bpf/*.[ch]' 'include/*.h' 'tests/*.[ch]' \
	'tests/*.cc' | grep -v '^vmlinux/')
if [ -z "$mode" ]; then
	"$cf" -i --style=file "${files[@]}"
	exit 0
fi
bad=0
for f in "${files[@]}"; do
	if ! "$cf" --style=file "$f" | cmp -s - "$f"; then
		echo "format: $f differs from .clang-format (scripts/format.sh rewrites it)"
		bad=$((bad + 1))
	fi
done
if [ $bad -gt 0 ]; then
	echo "format: $bad of ${#files[@]} files differ" >&2
	exit 1
fi
echo "format: ${#files[@]} files match .clang-format"
