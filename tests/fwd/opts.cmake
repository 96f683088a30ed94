# px-fwd's testpmd options, engines and interactive prompt (opts.sh, prompt.py): included by
# tests/fwd/CMakeLists.txt.
