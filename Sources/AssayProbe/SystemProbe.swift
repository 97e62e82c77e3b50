import AssayCore

/// Runs every system probe against one source and gathers the answers into `SystemFacts`.
///
/// Each probe is a pure function of the source and returns nil (or an empty answer) when
/// its inputs are missing or malformed; probes share nothing, so one that finds nothing
/// never stops the others.
public struct SystemProbe: Sendable {
    public let source: any ProbeSource

    public init(source: any ProbeSource) {
        self.source = source
    }

    public func probe() -> SystemFacts {
        let cpuinfo = source.readFile("/proc/cpuinfo")
        let kernel = probeKernel()
        return SystemFacts(
            hostname: source.readTrimmed("/proc/sys/kernel/hostname"),
            os: probeOS(),
            kernel: kernel,
            cpu: probeCPU(cpuinfo: cpuinfo),
            memory: probeMemory(),
            numaNodes: probeNUMA(),
            pciDevices: probePCI(),
            kernelModules: probeModules(),
            deviceNodes: probeDeviceNodes(),
            cgroupVersion: probeCgroupVersion(),
            selinux: probeSELinux(),
            container: probeContainer(),
            glibcVersion: probeGlibc(),
            toolchain: probeToolchain(),
            acceleratorTools: probeAcceleratorTools()
        )
    }
}
