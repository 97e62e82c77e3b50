"""The NUMA node of a device entry, read from a fake sysfs tree."""

from assay_backend.numa import cpu_numa, pci_numa


def fake_sysfs(tmp_path, nodes, pci=None):
    for node, cpus in nodes.items():
        folder = tmp_path / "devices" / "system" / "node" / ("node%d" % node)
        folder.mkdir(parents=True)
        (folder / "cpulist").write_text(cpus + "\n")
    for bdf, value in (pci or {}).items():
        folder = tmp_path / "bus" / "pci" / "devices" / bdf
        folder.mkdir(parents=True)
        (folder / "numa_node").write_text(value + "\n")
    return str(tmp_path)


def test_cpu_rank_reports_the_node_of_its_cpus(tmp_path):
    sysfs = fake_sysfs(tmp_path, {0: "0-3,8", 1: "4-7,9-11"})
    assert cpu_numa(sysfs, affinity={8, 2}) == {"numa_node": 0}
    assert cpu_numa(sysfs, affinity={5, 10}) == {"numa_node": 1}
    spanning = cpu_numa(sysfs, affinity={3, 4})
    assert "numa_node" not in spanning and "nodes 0, 1" in spanning["numa_reason"]


def test_cpu_rank_without_numa_topology_says_why(tmp_path):
    assert "no NUMA topology" in cpu_numa(str(tmp_path), affinity={0})["numa_reason"]


def test_pci_device_reads_the_kernel_node(tmp_path):
    sysfs = fake_sysfs(tmp_path, {}, pci={"0000:3b:00.0": "1", "0000:5e:00.0": "-1"})
    assert pci_numa("0000:3b:00.0", sysfs) == {"pci_bus_id": "0000:3b:00.0", "numa_node": 1}
    assert "no NUMA affinity" in pci_numa("0000:5e:00.0", sysfs)["numa_reason"]
    assert "unreadable" in pci_numa("0000:99:00.0", sysfs)["numa_reason"]
