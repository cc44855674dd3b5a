# Sourced by the scripts that filter ncu to `fused`'s kernels (gpu-fused-experiment.sh, ncu-launches.sh): a regular
# expression for every kernel of native/src/cuda/fused.cu (the three GEMM kernels, both LayerNorms, both attention
# kernels, the copy-out kernel of runs that ask for the workspace tensors), kept here once. (gpu-fused-experiment.sh's
# own list named residualLayerNorm only, so from 2112 rows, where the warp-per-row LayerNorm runs, its per-kernel
# times left both LayerNorms out.)
FUSED_KERNELS='gemmKernel|GemmKernel|LayerNormKernel|attentionKernel|attentionTmaKernel|copyOutKernel'
