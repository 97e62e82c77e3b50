extension XMLNode {
    /// The root of an inline SVG chart (the roofline and the bus-bandwidth chart share it): its view
    /// box, CSS class `chart <kind>`, accessible label and title, then the chart's own children.
    static func chart(
        kind: String,
        width: Double,
        height: Double,
        label: String,
        title: String,
        @NodeBuilder _ children: () -> [XMLNode]
    ) -> XMLNode {
        .element(
            "svg",
            [
                "viewBox": "0 0 \(Int(width)) \(Int(height))", "class": "chart \(kind)", "role": "img",
                "aria-label": label,
            ]
        ) {
            XMLNode.element("title") { title }
            children()
        }
    }
}
