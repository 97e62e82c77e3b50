import AssayCore
import AssayGraph

/// The graphs a plugin backend loaded, by the harness's handle: each graph with its weights in
/// declaration order, and the plugin's handle with the process start it belongs to.
struct PluginGraphTable {
    struct Entry {
        let graph: Graph
        let weights: [Tensor]
        var loaded: (handle: Int, start: Int)?
    }

    private var entries: [GraphHandle: Entry] = [:]
    private var count = 0

    mutating func add(_ graph: Graph, weights: [Tensor]) -> GraphHandle {
        count += 1
        let handle = GraphHandle(id: "\(graph.id)#\(count)")
        entries[handle] = Entry(graph: graph, weights: weights)
        return handle
    }

    func entry(_ handle: GraphHandle) throws -> Entry {
        guard let entry = entries[handle] else { throw BackendError.invalid("no loaded graph \(handle.id)") }
        return entry
    }

    mutating func loaded(_ handle: GraphHandle, as pluginHandle: Int, start: Int) {
        entries[handle]?.loaded = (pluginHandle, start)
    }

    mutating func remove(_ handle: GraphHandle) { entries[handle] = nil }
}
