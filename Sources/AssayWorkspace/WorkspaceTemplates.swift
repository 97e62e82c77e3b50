/// The files `assay init` writes besides the copies of the built-ins.
enum WorkspaceTemplates {
    static let settings = """
        # Assay workspace settings (written by `assay init`). Assay finds this folder by walking up
        # from the current directory; relative paths below are relative to this folder.
        #
        # Targets, suites and profiles are looked up by id in this order: a path given on the
        # command line; Targets/, Suites/ and Profiles/ here; $ASSAY_HOME/Targets, /Suites,
        # /Profiles; the copies built into assay (`assay targets list` says which one is used).

        # The target `assay run` uses without --target.
        default_target: local-cpu
        # Where run directories go without --out: Reports/<target>/<run-id>/.
        reports: Reports
        # The key `assay certify` signs with without --key (create it: assay keygen --out keys/station).
        station_key: keys/station.key

        """

    static let gitignore = """
        # Run records, reports and gate outputs (kept by the lab's archive, not by git) and secret keys.
        Reports/
        Baselines/
        gate/
        keys/
        *.key

        """

    /// Named `.example` so that it is not picked up as a target until it is copied and edited.
    static let examplePluginPath = "Targets/example-plugin.yaml.example"
    static let examplePlugin = """
        # An example target served by a plugin backend (docs/PROTOCOL.md). Copy it to
        # Targets/<your-id>.yaml, edit, then check it with `assay targets validate Targets/<your-id>.yaml`
        # and the plugin with `assay plugin check -- <command>`.
        id: my-accelerator
        title: My accelerator through its vendor SDK (plugin)
        kind: accelerator          # cpu, accelerator or system
        vendor: Example
        model: X1
        versions:
          driver: "1.0"
          sdk: "1.0"
        backend:
          # The plugin's argv: a program on PATH (such as a backend installed with pip, see
          # Backends/python) or a path relative to this workspace. `ssh host …` runs it remotely.
          command: [assay-backend-torch, --device, cuda]
          # Tried when the program above is not found (optional).
          fallback_command: [python3, plugins/my_backend.py]
          # cwd: plugins              # working directory, relative to this workspace
          # env: {VENDOR_LOG_LEVEL: "1"}
          device: cuda               # sent to the plugin in the hello
          timeouts: {handshake_s: 120, request_s: 300}
          max_restarts: 3
        capabilities:
          devices: 1
          memory_gib: 64
          # Declared peaks give % of peak and a roofline; without them the harness measures ceilings.
          peak_tflops: {bf16: 400, f32: 60}
          memory_bandwidth_gbs: 2000
          source: "Vendor X100 datasheet rev 2, https://example.com/x100.pdf"   # where the peaks come from (required with them)
        expect:
          min_memory_gib: 16

        """
}
