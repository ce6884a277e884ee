# Sourced by the ONNX Runtime tests (after lib.sh): MODEL, the mobilenet_v2 (torchvision,
# opset 13) both run, made once per build dir by tests/workloads/opencv/make_model.py
# (scripts/setup.sh --arch arm64 makes build-arm64's on the host: the arm64 guest has no
# torch); a skip (77) without it or what makes it. Also XDG_CACHE_HOME (the sites' cache)
# and N.
MODEL=$NNP_BUILD/models/ort-mobilenet_v2-opset13.onnx
if [ ! -s "$MODEL" ] && ! /usr/bin/python3 -c 'import torch, torchvision, onnx' 2>/dev/null; then
	echo "SKIP: needs python3-torch, python3-torchvision, python3-onnx to make the model $MODEL"
	exit 77
fi
[ -s "$MODEL" ] || /usr/bin/python3 "$NNP_SRC/tests/workloads/opencv/make_model.py" --opset 13 "$MODEL" ||
	fail "cannot make $MODEL"
export XDG_CACHE_HOME=$TMP/cache
N=30
