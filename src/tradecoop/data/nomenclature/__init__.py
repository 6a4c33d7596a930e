"""tradecoop.data.nomenclature"""
