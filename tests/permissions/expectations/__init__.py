"""One module per area; each exports CASES = {"namespace:url_name": Case(...)}.

test_matrix merges every module of this package, so adding an area means adding a module.
"""
