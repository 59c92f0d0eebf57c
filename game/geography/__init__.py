"""The region's map without any drawing library: the country outlines asset and the projection onto a view.

The pygame map (`game.ui.map_view`) and the browser's SVG map (`game.server.map_svg`) both draw from here.
"""
