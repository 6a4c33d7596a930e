"""tradecoop.data.sources"""
