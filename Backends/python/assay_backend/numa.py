"""The NUMA node a device is attached to, for the hello's device entry (docs/PROTOCOL.md,
Handshake): `numa_node` when it is known, else `numa_reason` saying why not. A PCI device's node
is the kernel's (/sys/bus/pci/devices/<bdf>/numa_node, -1 when the platform reports none); a
host CPU "device" is the node of the CPUs this process may run on."""

import os

SYSFS = "/sys"


def _cpulist(text):
    cpus = set()
    for part in text.strip().split(","):
        if part:
            lo, _, hi = part.partition("-")
            cpus.update(range(int(lo), int(hi or lo) + 1))
    return cpus


def cpu_numa(sysfs=SYSFS, affinity=None):
    """{"numa_node": n} when every CPU this process may run on is in node n, else {"numa_reason": …}."""
    try:
        mine = set(os.sched_getaffinity(0) if affinity is None else affinity)
    except (AttributeError, OSError) as exc:
        return {"numa_reason": "CPU affinity unreadable: %s" % exc}
    base = os.path.join(sysfs, "devices", "system", "node")
    try:
        names = sorted(n for n in os.listdir(base) if n.startswith("node") and n[4:].isdigit())
    except OSError:
        return {"numa_reason": "%s unreadable: the kernel exposes no NUMA topology" % base}
    nodes = []
    for name in names:
        try:
            with open(os.path.join(base, name, "cpulist")) as handle:
                if mine & _cpulist(handle.read()):
                    nodes.append(int(name[4:]))
        except (OSError, ValueError):
            continue
    if len(nodes) == 1:
        return {"numa_node": nodes[0]}
    if not nodes:
        return {"numa_reason": "no NUMA node lists this process's CPUs"}
    return {"numa_reason": "this process may run on CPUs of nodes %s (pin each rank, e.g. numactl --cpunodebind in its command)"
            % ", ".join(map(str, nodes))}


def pci_numa(bdf, sysfs=SYSFS):
    """{"pci_bus_id": bdf, "numa_node": n}, or the bus id with a `numa_reason`."""
    path = os.path.join(sysfs, "bus", "pci", "devices", bdf, "numa_node")
    entry = {"pci_bus_id": bdf}
    try:
        with open(path) as handle:
            node = int(handle.read().strip())
    except (OSError, ValueError) as exc:
        entry["numa_reason"] = "%s unreadable: %s" % (path, exc)
        return entry
    if node < 0:
        entry["numa_reason"] = "%s is %d: the platform reports no NUMA affinity for the device" % (path, node)
    else:
        entry["numa_node"] = node
    return entry
